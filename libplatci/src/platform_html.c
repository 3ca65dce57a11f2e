/*
 * index.html: the frame (style, filters, script), the overview and the
 * inputs. The sections in between are in platform_html_sections.c.
 *
 * The page loads nothing: a Content-Security-Policy allows no source at
 * all except the inline style and the one inline script, named by its
 * SHA-256, so even a string that slipped past escaping could not run or
 * fetch anything. Environment filters are radio buttons and CSS, so they
 * work without the script; the script only adds sorting.
 */
#include <stdio.h>
#include <string.h>

#include "platform_int.h"
#include "platci/clock.h"
#include "platci/report.h"
#include "platci/sha256.h"
#include "util/common.h"
#include "util/banned.h"

static const char style[] =
	":root{--fg:#1b1f24;--mut:#57606a;--bd:#d0d7de;--bg2:#f6f8fa;--deny:#b42318;--warn:#8a5a00;"
	"--ok:#1a7f37;--ahead:#0550ae}\n"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);"
	"margin:0 1.5rem 3rem}\n"
	"h1{font-size:1.5rem;margin:.6rem 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;"
	"border-bottom:1px solid var(--bd)}h3{font-size:1rem;margin:1.2rem 0 .3rem}\n"
	"p{margin:.3rem 0}.mut{color:var(--mut)}a{color:var(--ahead)}\n"
	"nav a{margin-right:.8rem}.f{margin:0 .2rem 0 .8rem}\n"
	"table{border-collapse:collapse;margin:.4rem 0;font-size:13px}"
	"th,td{border:1px solid var(--bd);padding:.2rem .45rem;text-align:left;vertical-align:top}"
	"thead th{background:var(--bg2);position:sticky;top:0}td.n,th.n{text-align:right}"
	"table.vulns td:nth-child(n+3),#vuln-totals td{text-align:right}table.matrix td:last-child{"
	"text-align:right}table.matrix td{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}"
	"table.matrix td:nth-child(2){font:inherit}\n"
	".c{content-visibility:auto;contain-intrinsic-size:auto 2300px}.c table{margin:0}"
	"table.matrix,table.vulns{table-layout:fixed;width:100%}td,th{overflow-wrap:break-word}"
	"table.matrix td,table.vulns td{overflow-wrap:anywhere}\n"
	"table.vulns col.i{width:34%}table.vulns col.e{width:11%}\n"
	"th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;"
	"text-align:inherit}th button::after{content:' \\2195';"
	"color:var(--mut)}th[aria-sort=ascending] button::after{content:' \\2191'}"
	"th[aria-sort=descending] button::after{content:' \\2193'}\n"
	"ul.p{list-style:none;margin:0;padding:0}code{font-size:12px;overflow-wrap:anywhere}\n"
	".deny{color:var(--deny);font-weight:600}.warn{color:var(--warn)}.ok{color:var(--ok)}"
	".ahead,.a{color:var(--ahead);font-weight:600}.b{color:var(--warn)}\n"
	"section{content-visibility:auto;contain-intrinsic-size:auto 600px}\n";

/* Sorting only: everything is on the page without it. */
static const char script[] =
	"(function(){\"use strict\";\n"
	/* A group of chunk tables sorts as one: rows are dealt back in the chunks' sizes. */
	"function sort(t,i,th){var num=th.getAttribute(\"data-t\")===\"n\";"
	"var dir=th.getAttribute(\"aria-sort\")===\"ascending\"?-1:1;"
	"var g=t.getAttribute(\"data-g\"),ts=g?document.querySelectorAll(\"table[data-g=\"+g+\"]\"):[t];"
	"var rows=[],sizes=[];Array.prototype.forEach.call(ts,function(x){"
	"var hs=x.tHead.rows[0].cells;for(var h=0;h<hs.length;h++)hs[h].removeAttribute(\"aria-sort\");"
	"hs[i].setAttribute(\"aria-sort\",dir>0?\"ascending\":\"descending\");"
	"var b=x.tBodies[0].rows;sizes.push(b.length);for(var r=0;r<b.length;r++)rows.push(b[r]);});"
	"var k=rows.map(function(r,n){var c=r.cells[i],v=c?(c.hasAttribute(\"data-v\")?"
	"c.getAttribute(\"data-v\"):c.textContent):\"\";"
	"return{r:r,k:num?(parseFloat(v)||0):v.toLowerCase(),n:n};});"
	"k.sort(function(x,y){return x.k<y.k?-dir:x.k>y.k?dir:x.n-y.n;});"
	"var n=0;Array.prototype.forEach.call(ts,function(x,j){var f=document.createDocumentFragment();"
	"for(var r=0;r<sizes[j];r++)f.appendChild(k[n++].r);x.tBodies[0].appendChild(f);});}\n"
	"var ts=document.querySelectorAll(\"table.s\");"
	"Array.prototype.forEach.call(ts,function(t){if(!t.tHead||!t.tBodies[0])return;"
	"Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
	"var b=document.createElement(\"button\");b.type=\"button\";"
	"while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);"
	"b.addEventListener(\"click\",function(){sort(t,i,th);});});});\n"
	"document.documentElement.setAttribute(\"data-ready\",String(performance.now()));\n"
	"})();";

void platci_platform__esc(platci_buf *out, const char *s)
{
	platci_xml_escape(out, s ? s : "");
}

void platci_platform__a(platci_buf *out, const char *href, const char *text)
{
	if (!href) {
		platci_platform__esc(out, text);
		return;
	}
	platci_buf_puts(out, "<a href=\"");
	platci_platform__esc(out, href);
	platci_buf_puts(out, "\">");
	platci_platform__esc(out, text);
	platci_buf_puts(out, "</a>");
}

void platci_platform__time(platci_buf *out, time_t t)
{
	char s[32];

	if (!t) {
		platci_buf_puts(out, "unknown");
		return;
	}
	platci_time_format_utc(s, sizeof(s), t);
	platci_buf_printf(out, "<time datetime=\"%s\">%s</time>", s, s);
}

void platci_platform__chunk_row(pf_chunks *c)
{
	if (c->rows % PF_CHUNK_ROWS == 0) {
		if (c->rows)
			platci_buf_puts(c->out, "</tbody></table></div>\n");
		platci_buf_printf(c->out, "<div class=\"c\"><table class=\"s %s\" data-g=\"%s\">",
			c->group, c->group);
		platci_buf_puts(c->out, c->head);
		platci_buf_puts(c->out, "<tbody>\n");
	}
	c->rows++;
}

void platci_platform__chunk_end(pf_chunks *c)
{
	if (!c->rows) {
		platci_platform__chunk_row(c);
		c->rows = 0;
	}
	platci_buf_puts(c->out, "</tbody></table></div>\n");
}

void platci_platform__env_attr(platci_buf *out, const platci_platform *p, const char *env)
{
	for (size_t i = 0; env && i < p->nenvs; i++)
		if (strcmp(p->envs[i].name, env) == 0) {
			platci_buf_printf(out, " data-e=\"%zu\"", i);
			return;
		}
}

/* The CSP hash source of the script: base64 of its SHA-256. */
static int script_hash(char out[64])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char hex[PLATCI_SHA256_HEX_SIZE];
	unsigned char raw[33];
	size_t o = 0;
	int error;

	if ((error = platci_sha256_hex(hex, script, strlen(script))) < 0)
		return error;
	for (size_t i = 0; i < 32; i++) {
		unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
		unsigned lo = (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0'
							       : hex[2 * i + 1] - 'a' + 10);
		raw[i] = (unsigned char)(hi << 4 | lo);
	}
	raw[32] = 0;
	for (size_t i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < 32 ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return 0;
}

static void head(platci_buf *out, const platci_platform *p, const char *hash)
{
	platci_buf_puts(out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; script-src 'sha256-");
	platci_buf_puts(out, hash);
	platci_buf_puts(out, "'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	platci_platform__esc(out, p->opts.title);
	platci_buf_puts(out, "</title>\n<style>\n");
	platci_buf_puts(out, style);
	/*
	 * The radio buttons hide the other environments: elements that carry
	 * data-e, and the matrix's columns by position (the application and the
	 * pin come first), which spares an attribute on 24,000 cells.
	 */
	for (size_t i = 0; i < p->nenvs; i++) {
		platci_buf_printf(out, "#f%zu:checked~main [data-e]:not([data-e=\"%zu\"])", i, i);
		for (size_t j = 0; j < p->matrix_envs; j++)
			if (j != i)
				platci_buf_printf(out,
					",#f%zu:checked~main table.matrix tr>:nth-child(%zu),"
					"#f%zu:checked~main table.matrix col:nth-child(%zu)",
					i, j + 3, i, j + 3);
		platci_buf_puts(out, "{display:none}\n");
	}
	if (p->matrix_envs)
		platci_buf_printf(out,
			"table.matrix col.a{width:16%%}table.matrix col.p{width:13%%}"
			"table.matrix col.e{width:%zu%%}table.matrix col.w{width:6%%}\n",
			(size_t)65 / p->matrix_envs);
	platci_buf_puts(out, "</style>\n</head>\n<body>\n");
}

static void filters(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out, "<header>\n<h1>");
	platci_platform__esc(out, p->opts.title);
	platci_buf_puts(out, "</h1>\n<p class=\"mut\">Generated ");
	platci_platform__time(out, p->opts.now);
	platci_buf_printf(out,
		" from %zu reports: %zu missing, %zu unreadable "
		"(<a href=\"#inputs\">inputs</a>). Data for machines: "
		"<a href=\"./platform.json\">platform.json</a>.</p>\n",
		platci_platform_status_count(p, PLATCI_PLATFORM_OK) +
			platci_platform_status_count(p, PLATCI_PLATFORM_SUPERSEDED),
		platci_platform_status_count(p, PLATCI_PLATFORM_MISSING),
		platci_platform_status_count(p, PLATCI_PLATFORM_UNREADABLE));
	platci_buf_puts(out,
		"<nav aria-label=\"Sections\"><a href=\"#overview\">Overview</a>"
		"<a href=\"#versions\">Versions</a><a href=\"#drift\">Drift</a>"
		"<a href=\"#plans\">Plans and gates</a><a href=\"#vulnerabilities\">Vulnerabilities</a>"
		"<a href=\"#findings\">Policy findings</a><a href=\"#inputs\">Inputs</a></nav>\n"
		"</header>\n");
	platci_buf_puts(out,
		"<span id=\"envf\">Show environments:</span>\n<input type=\"radio\" "
		"name=\"envf\" id=\"f-all\" class=\"f\" checked aria-describedby=\"envf\">"
		"<label for=\"f-all\">all</label>\n");
	for (size_t i = 0; i < p->nenvs; i++) {
		platci_buf_printf(out,
			"<input type=\"radio\" name=\"envf\" id=\"f%zu\" class=\"f\" "
			"aria-describedby=\"envf\"><label for=\"f%zu\">",
			i, i);
		platci_platform__esc(out, p->envs[i].name);
		platci_buf_puts(out, "</label>\n");
	}
}

static void count_cell(platci_buf *out, size_t n, const char *cls, const char *word)
{
	platci_buf_printf(out, "<td class=\"n%s%s\" data-v=\"%zu\">", n && cls ? " " : "",
		n && cls ? cls : "", n);
	if (n && word)
		platci_buf_printf(out, "%zu %s", n, word);
	else
		platci_buf_printf(out, "%zu", n);
	platci_buf_puts(out, "</td>");
}

static void overview_row(platci_buf *out, const platci_platform *p, size_t i)
{
	const pf_env *e = &p->envs[i];
	size_t waiting = 0, crit = 0, high = 0;

	for (size_t k = 0; k < p->npending; k++)
		waiting += p->pending[k].to == i;
	for (size_t k = 0; k < e->vulns.n; k++) {
		crit += e->vulns.v[k].sev[PF_CRITICAL];
		high += e->vulns.v[k].sev[PF_HIGH];
	}
	platci_buf_printf(out, "<tr data-e=\"%zu\"><th scope=\"row\">", i);
	platci_platform__esc(out, e->name);
	if (e->is_protected)
		platci_buf_puts(out, " <span class=\"mut\">(protected)</span>");
	if (!e->in_config)
		platci_buf_puts(out, " <span class=\"warn\">(not in platci.yaml)</span>");
	platci_buf_puts(out, "</th>");
	if (e->plan)
		platci_buf_printf(out, "<td>+%lld ~%lld -%lld</td>", e->plan->create,
			e->plan->update, e->plan->del);
	else
		platci_buf_puts(out, "<td class=\"mut\">no report</td>");
	if (!e->gate)
		platci_buf_puts(out, "<td class=\"mut\">no report</td>");
	else if (strcmp(e->gate->decision, "allow") == 0)
		platci_buf_puts(out, "<td class=\"ok\">&#10004; allow</td>");
	else if (strcmp(e->gate->decision, "deny") == 0)
		platci_buf_puts(out, "<td class=\"deny\">&#10006; deny</td>");
	else
		platci_buf_puts(out, "<td class=\"warn\">&#9873; needs approval</td>");
	if (!e->drift)
		platci_buf_puts(out, "<td class=\"mut\">no report</td>");
	else if (e->drift->drift)
		platci_buf_printf(out, "<td class=\"deny\">&#9888; drift: %zu Terraform, %zu Flux</td>",
			e->drift->counts[PFD_N_TF_DRIFT], e->drift->counts[PFD_N_FLUX_DRIFT]);
	else
		platci_buf_puts(out, "<td class=\"ok\">&#10004; in sync</td>");
	count_cell(out, waiting, "ahead", "waiting");
	if (e->scan_input == PF_NONE && e->waiver_input == PF_NONE)
		platci_buf_puts(out, "<td class=\"mut\">no report</td>");
	else
		platci_buf_printf(out, "<td class=\"n%s\" data-v=\"%zu\">%zu critical, %zu high</td>",
			crit + high ? " deny" : "", crit * 1000000 + high, crit, high);
	platci_buf_printf(out, "<td class=\"n%s\" data-v=\"%zu\">%zu deny, %zu warn</td></tr>\n",
		e->findings.deny ? " deny" : "", e->findings.deny, e->findings.deny, e->findings.warn);
}

static void overview(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out,
		"<section id=\"overview\">\n<h2>Overview</h2>\n"
		"<table class=\"s\"><caption class=\"mut\">One row per environment, in promotion "
		"order.</caption>\n<thead><tr><th scope=\"col\">Environment</th>"
		"<th scope=\"col\">Plan (create, update, delete)</th><th scope=\"col\">Gate</th>"
		"<th scope=\"col\">Drift</th><th scope=\"col\" data-t=\"n\">Waiting to be promoted here"
		"</th><th scope=\"col\" data-t=\"n\">Vulnerabilities</th>"
		"<th scope=\"col\" data-t=\"n\">Policy findings</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->nenvs; i++)
		overview_row(out, p, i);
	platci_buf_puts(out, "</tbody></table>\n</section>\n");
}

static void input_row(platci_buf *out, const platci_platform *p, const platci_platform_input *in)
{
	static const char *const status[] = { "<td class=\"ok\">&#10004; ok</td>",
		"<td class=\"warn\">&#8709; missing</td>", "<td class=\"deny\">&#10006; unreadable</td>",
		"<td class=\"mut\">&#8631; superseded</td>" };
	char age[32];

	platci_buf_puts(out, "<tr");
	platci_platform__env_attr(out, p, in->env);
	platci_buf_puts(out, "><td>");
	platci_platform__esc(out, in->kind);
	platci_buf_puts(out, "</td><td>");
	platci_platform__esc(out, in->stage);
	platci_buf_puts(out, "</td><td>");
	platci_platform__esc(out, in->env);
	platci_buf_puts(out, "</td><td>");
	platci_platform__a(out, in->link, in->file);
	platci_buf_puts(out, "</td>");
	platci_buf_puts(out, status[in->status]);
	platci_buf_printf(out, "<td data-v=\"%lld\">", (long long)in->generated);
	if (in->generated)
		platci_platform__time(out, in->generated);
	if (in->generated && in->generated_from_file)
		platci_buf_puts(out, " <span class=\"mut\">(file time)</span>");
	platci_platform__age(age, sizeof(age), p->opts.now, in->generated);
	platci_buf_puts(out, "</td><td>");
	platci_platform__esc(out, age);
	platci_buf_puts(out, "</td><td>");
	platci_platform__esc(out, in->message);
	platci_buf_puts(out, "</td></tr>\n");
}

static void inputs(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out,
		"<section id=\"inputs\">\n<h2>Inputs</h2>\n<p>Every report the page was "
		"built from, when it was written (the report's own time, else its file's), and the "
		"reports it expected and did not find.</p>\n<table class=\"s\" id=\"inputs-table\">"
		"<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Stage</th>"
		"<th scope=\"col\">Environment</th><th scope=\"col\">File</th><th scope=\"col\">Status"
		"</th><th scope=\"col\" data-t=\"n\">Generated</th><th scope=\"col\">Age</th>"
		"<th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->ninputs; i++)
		input_row(out, p, &p->inputs[i]);
	platci_buf_puts(out, "</tbody></table>\n");
	if (p->nartifacts) {
		platci_buf_puts(out, "<h3>Other artifacts</h3>\n<ul>\n");
		for (size_t i = 0; i < p->nartifacts; i++) {
			const pf_artifact *a = &p->artifacts[i];
			platci_buf_puts(out, "<li");
			platci_platform__env_attr(out, p, a->env);
			platci_buf_puts(out, ">");
			platci_platform__esc(out, a->stage ? a->stage : "(stage unknown)");
			if (a->env) {
				platci_buf_puts(out, " ");
				platci_platform__esc(out, a->env);
			}
			platci_buf_puts(out, ": ");
			platci_platform__a(out, a->link, a->name);
			platci_buf_puts(out, "</li>\n");
		}
		platci_buf_puts(out, "</ul>\n");
	}
	platci_buf_puts(out, "</section>\n");
}

int platci_platform_render_html(platci_buf *out, const platci_platform *p)
{
	char hash[64];
	int error;

	PLATCI_ASSERT_ARG(out && p);
	if (!p->finished)
		return PLATCI_EINVALID;
	if ((error = script_hash(hash)) < 0)
		return error;
	head(out, p, hash);
	filters(out, p);
	platci_buf_puts(out, "<main>\n");
	overview(out, p);
	platci_platform__html_versions(out, p);
	platci_platform__html_drift(out, p);
	platci_platform__html_plans(out, p);
	platci_platform__html_vulns(out, p);
	platci_platform__html_findings(out, p);
	inputs(out, p);
	platci_buf_puts(out, "</main>\n<script>");
	platci_buf_puts(out, script);
	platci_buf_puts(out, "</script>\n</body>\n</html>\n");
	return out->error;
}
