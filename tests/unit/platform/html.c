/* The page: escaping of hostile names, nothing that loads, links that cannot become schemes. */
#include "helpers.h"

static const char hostile_findings[] =
	"{\"version\": \"1\", \"stage\": \"validate<script>\", \"env\": null, \"findings\": [\n"
	" {\"rule\": \"\\\"><img src=x onerror=alert(1)>\", \"severity\": \"critical\", \"enforcement\": \"deny\",\n"
	"  \"message\": \"<script>alert('msg')</script> & \\\"quotes\\\" 'single'\", \"file\": \"a<b>.yaml\",\n"
	"  \"line\": 3, \"column\": 1, \"env\": \"prd\\\"><svg onload=alert(2)>\", \"fingerprint\": \"x\",\n"
	"  \"waiver\": null, \"details\": null}]}\n";

static const char hostile_cs[] =
	"{\"version\": \"15.0.7\", \"scan\": {\"type\": \"container_scanning\", \"end_time\": \"2026-11-26T01:00:00\"},\n"
	" \"vulnerabilities\": [{\"severity\": \"Critical\", \"solution\": \"</td><script>alert(3)</script>\",\n"
	"  \"location\": {\"image\": \"evil/<img src=//example.com/x.png>:1\"}}]}\n";

static const char hostile_drift[] =
	"{\"version\": 1, \"env\": \"prd-uaenorth\", \"drift\": true, \"generated_at\": \"2026-11-26T00:00:00Z\",\n"
	" \"counts\": {}, \"items\": [{\"source\": \"flux\", \"category\": \"flux.not-ready\", \"drift\": true,\n"
	" \"identity\": \"</table><script>alert(4)</script>\", \"reason\": \"<style>*{display:none}</style>\"}]}\n";

/* The one script of the page, and the hash its Content-Security-Policy allows. */
static void check_csp(const char *html)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *start = strstr(html, "<script>"), *end, *csp;
	char hex[PLATCI_SHA256_HEX_SIZE], want[64];
	unsigned char raw[33] = { 0 };
	size_t o = 0;

	cr_assert_not_null(start);
	start += strlen("<script>");
	end = strstr(start, "</script>");
	cr_assert_not_null(end);
	cr_assert_eq(platci_sha256_hex(hex, start, (size_t)(end - start)), 0);
	for (size_t i = 0; i < 32; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		raw[i] = (unsigned char)v;
	}
	for (size_t i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
		want[o++] = b64[v >> 18 & 63];
		want[o++] = b64[v >> 12 & 63];
		want[o++] = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
		want[o++] = i + 2 < 32 ? b64[v & 63] : '=';
	}
	want[o] = '\0';
	csp = strstr(html, "script-src 'sha256-");
	cr_assert_not_null(csp);
	cr_assert_eq(strncmp(csp + strlen("script-src 'sha256-"), want, strlen(want)), 0,
		"the CSP does not allow the page's own script");
	cr_assert(strstr(html, "default-src 'none'"));
}

Test(platform_html, hostile_names_are_escaped)
{
	pf_case c;

	pc_init(&c);
	pc_write(&c, "reports/javascript:alert(1)/findings.json", hostile_findings);
	pc_write(&c, "reports/scan-prd-uaenorth/gl-container-scanning-report.json", hostile_cs);
	pc_write(&c, "reports/drift-prd-uaenorth/drift.json", hostile_drift);
	pc_build(&c, 1, NULL, NULL);
	/* Our script only, and no element the inputs tried to open. */
	cr_assert_eq(pc_count(c.html, "<script"), 1);
	cr_assert_eq(pc_count(c.html, "<img"), 0);
	cr_assert_eq(pc_count(c.html, "<svg"), 0);
	cr_assert_eq(pc_count(c.html, "<style"), 1);
	cr_assert_eq(pc_count(c.html, "</table><script"), 0);
	cr_assert(strstr(c.html,
		"&lt;script&gt;alert(&apos;msg&apos;)&lt;/script&gt; &amp; "
		"&quot;quotes&quot; &apos;single&apos;"));
	cr_assert(strstr(c.html, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
	cr_assert(strstr(c.html, "evil/&lt;img src=//example.com/x.png&gt;:1"));
	cr_assert(strstr(c.html, "&lt;/table&gt;&lt;script&gt;alert(4)&lt;/script&gt;"));
	/* An environment named by a report: shown escaped, filtered by its index only. */
	cr_assert(strstr(c.html, "<label for=\"f3\">prd&quot;&gt;&lt;svg onload=alert(2)&gt;</label>"));
	/* A folder named like a scheme stays a relative path. */
	cr_assert(strstr(c.html, "href=\"../reports/javascript%3Aalert%281%29/findings.json\""));
	cr_assert_eq(pc_count(c.html, "href=\"javascript"), 0);
	check_csp(c.html);
	pc_dispose(&c);
}

Test(platform_html, self_contained)
{
	pf_case c;
	const char *s;

	pc_init(&c);
	pc_build(&c, 1, NULL, NULL);
	check_csp(c.html);
	/* Nothing to fetch: no src, no stylesheet or preload links, no absolute URLs. */
	cr_assert_eq(pc_count(c.html, " src="), 0);
	cr_assert_eq(pc_count(c.html, "<link"), 0);
	cr_assert_eq(pc_count(c.html, "url("), 0);
	cr_assert_eq(pc_count(c.html, "@import"), 0);
	cr_assert_eq(pc_count(c.html, "://"), 0);
	for (s = c.html; (s = strstr(s, "href=\"")) != NULL; s += 6) {
		const char *v = s + 6;
		cr_assert(!strncmp(v, "./", 2) || !strncmp(v, "../", 3) || v[0] == '#', "%.60s", v);
	}
	/* Every section is in the page without the script. */
	cr_assert(strstr(c.html, "<tr data-key=\"image:ghcr.io/acme/web.newTag\">"));
	cr_assert(strstr(c.html, "module.aks.azurerm_network_security_rule.allow_https"));
	cr_assert(strstr(c.html, "ghcr.io/acme/web:1.1.0"));
	pc_dispose(&c);
}

Test(platform_html, drift_issue_link)
{
	pf_case c;
	platci_platform_options o = PLATCI_PLATFORM_OPTIONS_INIT;
	json_t *drift;

	o.project_url = "https://gitlab.example.com/platform/infra";
	pc_init(&c);
	pc_build(&c, 1, &o, NULL);
	cr_assert(strstr(c.html,
		"href=\"https://gitlab.example.com/platform/infra/-/issues/"
		"?label_name%5B%5D=platci-drift&amp;search=Drift%3A%20prd-uaenorth\""));
	drift = json_array_get(json_object_get(c.json, "drift"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(drift, "issue_url")),
		"https://gitlab.example.com/platform/infra/-/issues/?label_name%5B%5D=platci-drift&"
		"search=Drift%3A%20prd-uaenorth");
	pc_dispose(&c);
}

Test(platform_html, links_are_percent_encoded)
{
	pf_case c;
	const char *const dirs[] = { "odd", NULL };

	pc_init(&c);
	pc_write(&c, "odd/plan 50% #1-prd-uaenorth/terraform-report.json",
		"{\"create\": 0, \"update\": 0, \"delete\": 0}");
	pc_build(&c, 1, NULL, dirs);
	cr_assert(strstr(c.html, "href=\"../odd/plan%2050%25%20%231-prd-uaenorth/terraform-report.json\""),
		"%s", strstr(c.html, "terraform-report.json"));
	cr_assert_eq(pc_input(&c, "terraform-report.json")->status, PLATCI_PLATFORM_OK);
	cr_assert_str_eq(pc_input(&c, "terraform-report.json")->env, "prd-uaenorth");
	pc_dispose(&c);
}

Test(platform_html, long_texts_are_cut)
{
	pf_case c;
	size_t n = 100000;
	char *msg = malloc(n + 400), *at;
	const char *shown;
	json_t *prd;

	/* A finding whose message is 100 kB of "é": cut to 2,000 bytes on a character boundary. */
	at = msg + sprintf(msg,
			   "{\"version\": \"1\", \"stage\": \"validate\", \"findings\": [{\"rule\": "
			   "\"x\", \"severity\": \"blocker\", \"enforcement\": \"deny\", \"env\": \"prd-uaenorth\", "
			   "\"message\": \"");
	for (size_t i = 0; i < n / 2; i++)
		at += sprintf(at, "\xc3\xa9");
	sprintf(at, "\"}]}");
	pc_init(&c);
	pc_write(&c, "reports/findings.json", msg);
	pc_build(&c, 1, NULL, NULL);
	prd = pc_find(json_object_get(c.json, "findings"), "env", "prd-uaenorth");
	shown = json_string_value(
		json_object_get(json_array_get(json_object_get(prd, "shown"), 0), "message"));
	cr_assert_eq(strlen(shown), 2000 + 3);
	cr_assert_str_eq(shown + 2000, "\xe2\x80\xa6");
	cr_assert_lt(strlen(c.html), 200000);
	free(msg);
	pc_dispose(&c);
}
