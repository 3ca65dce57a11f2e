/* Flux drift: classifies live Flux objects (platci/fluxstatus.h) into drift categories. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/banned.h"

typedef struct flux_ctx {
	platci_drift *d;
	const platci_drift_options *opts;
	const platci_flux_status *st;
	const platci_flux_object *obj;
	char identity[768];
} flux_ctx;

/* Adds one item for the current object; @p reason and @p message may be NULL. */
static int add(flux_ctx *c, const char *category, const char *reason, const char *previous,
	const char *expected, const char *fmt, ...) PLATCI_PRINTF(6, 7);

static int add(flux_ctx *c, const char *category, const char *reason, const char *previous,
	const char *expected, const char *fmt, ...)
{
	platci_drift_item *it;
	char msg[1024];
	va_list ap;
	int oom = 0;

	if (!(it = platci_drift__add_item(c->d, PLATCI_DRIFT_FLUX, category, c->identity,
		      c->obj->file, c->obj->line)))
		return PLATCI_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* vsnprintf may cut inside a UTF-8 sequence; reports must stay valid UTF-8. */
	msg[platci__utf8_valid_prefix((const unsigned char *)msg, strlen(msg))] = '\0';
	it->message = platci_drift__keep(c->d, msg, &oom);
	it->reason = platci_drift__keep(c->d, reason, &oom);
	it->previous = platci_drift__keep(c->d, previous, &oom);
	it->expected = platci_drift__keep(c->d, expected, &oom);
	it->ignored_by = platci_drift__keep(c->d,
		platci_drift__policy_match(c->opts->policy, c->opts->env, c->opts->now,
			PLATCI_DRIFT_FLUX, c->identity, category, NULL),
		&oom);
	return oom ? PLATCI_ENOMEM : 0;
}

/*
 * Masks the user-info part of URLs ("user:token@" becomes "***@"):
 * controllers quote clone URLs in their messages, and a token there must not
 * reach a report or an issue.
 */
static void mask_url_credentials(char *s)
{
	char *p = s;

	while ((p = strstr(p, "://")) != NULL) {
		char *user = p + 3, *q = user, *at = NULL;
		for (; *q && *q != '/' && *q != ' ' && *q != '\'' && *q != '"'; q++)
			if (*q == '@')
				at = q;
		if (at && at - user >= 3) {
			/* Shrinks in place, never grows: the buffer is full-sized already. */
			memmove(user + 3, at, strlen(at) + 1);
			memcpy(user, "***", 3);
		} else if (at) {
			memset(user, '*', (size_t)(at - user));
		}
		p = user;
	}
}

/* A condition message on one line, credential-free, not too long for a table cell. */
static const char *msg_of(const platci_flux_condition *cond, char *buf, size_t size)
{
	size_t i;
	snprintf(buf, size, "%s", cond && cond->message ? cond->message : "");
	mask_url_credentials(buf);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')
			buf[i] = ' ';
	if (i + 1 >= size && size > 4) {
		/* Cut on a character boundary, then mark the cut. */
		size_t cut = platci__utf8_valid_prefix((const unsigned char *)buf, size - 4);
		memcpy(buf + cut, "...", 4);
	}
	platci__utf8_sanitize(buf);
	return buf;
}

static const char *short_rev(const char *rev, char *buf, size_t size)
{
	if (!rev)
		return "(none)";
	platci_flux_revision_short(buf, size, rev);
	return buf;
}

/* One item per readiness problem (platci_flux_object_readiness()), worded for people. */
static int check_conditions(flux_ctx *c, const platci_flux_readiness *r)
{
	const platci_flux_object *o = c->obj;
	const platci_flux_condition *ready = r->ready, *cond = r->reconciling;
	int retrying = cond && cond->status == PLATCI_FLUX_COND_TRUE, error = 0;
	char m[400];

	if ((r->blocked & PLATCI_FLUX_NOT_READY) && !ready)
		error = add(c, "flux.not-ready", NULL, NULL, NULL,
			"%s has no Ready condition: waiting to be reconciled", c->identity);
	else if ((r->blocked & PLATCI_FLUX_NOT_READY) && ready->status == PLATCI_FLUX_COND_FALSE)
		/* Reconciling beside Ready=False: Flux keeps retrying; say so, it is still a failure. */
		error = add(c, "flux.not-ready", ready->reason, NULL, NULL,
			"%s is not Ready (%s%s%s): %s", c->identity,
			ready->reason ? ready->reason : "no reason", retrying ? ", retrying: " : "",
			retrying ? (cond->reason ? cond->reason : "Reconciling") : "",
			msg_of(ready, m, sizeof(m)));
	else if (r->blocked & PLATCI_FLUX_NOT_READY)
		error = add(c, "flux.not-ready", ready->reason, NULL, NULL,
			"%s readiness is Unknown (%s): %s", c->identity,
			ready->reason ? ready->reason : "no reason", msg_of(ready, m, sizeof(m)));
	else if (r->blocked & PLATCI_FLUX_RECONCILING)
		error = add(c, "flux.reconciling", cond->reason, NULL, NULL,
			"%s is reconciling (%s): %s", c->identity,
			cond->reason ? cond->reason : "no reason", msg_of(cond, m, sizeof(m)));
	if (error < 0)
		return error;
	if ((r->blocked & PLATCI_FLUX_STALLED) &&
		(error = add(c, "flux.stalled", r->stalled->reason, NULL, NULL, "%s is stalled (%s): %s",
			 c->identity, r->stalled->reason ? r->stalled->reason : "no reason",
			 msg_of(r->stalled, m, sizeof(m)))) < 0)
		return error;
	if (o->kind == PLATCI_FLUX_HELMRELEASE && (cond = platci_flux_object_condition(o, "Drifted")) &&
		cond->status == PLATCI_FLUX_COND_TRUE &&
		(error = add(c, "flux.helm-drifted", cond->reason, NULL, NULL,
			 "%s: the cluster differs from the Helm release (%s): %s", c->identity,
			 cond->reason ? cond->reason : "DriftDetected", msg_of(cond, m, sizeof(m)))) < 0)
		return error;
	if (r->blocked & PLATCI_FLUX_STALE_STATUS) {
		char g[64], og[64];
		snprintf(g, sizeof(g), "%lld", o->generation);
		snprintf(og, sizeof(og), "%lld", o->observed_generation);
		if (o->observed_generation < 0)
			error = add(c, "flux.stale-status", NULL, NULL, g,
				"%s: generation %lld was never observed by its controller",
				c->identity, o->generation);
		else
			error = add(c, "flux.stale-status", NULL, og, g,
				"%s: observedGeneration %lld is behind generation %lld (the spec "
				"changed and was not processed)",
				c->identity, o->observed_generation, o->generation);
	}
	return error;
}

static int check_dependencies(flux_ctx *c)
{
	const platci_flux_object *o = c->obj;
	int error;

	for (size_t i = 0; i < o->ndepends_on; i++) {
		const platci_flux_ref *ref = &o->depends_on[i];
		const platci_flux_object *dep =
			platci_flux_status_find(c->st, o->kind, ref->namespace_, ref->name);
		char id[512];

		snprintf(id, sizeof(id), "%s/%s/%s", o->kind_name,
			ref->namespace_ ? ref->namespace_ : "", ref->name);
		if (!dep)
			error = add(c, "flux.dependency-not-ready", NULL, NULL, id,
				"%s depends on %s, which is not in the status input", c->identity, id);
		else if (!platci_flux_object_is_ready(dep) || dep->suspended)
			error = add(c, "flux.dependency-not-ready", NULL, NULL, id,
				"%s depends on %s, which is %s", c->identity, id,
				dep->suspended ? "suspended" : "not Ready");
		else
			error = 0;
		if (error < 0)
			return error;
	}
	return 0;
}

/* 1 when @p url ends with @p repo (a project path), give or take ".git" and a slash. */
static int url_names_repo(const char *url, const char *repo)
{
	size_t ul, rl = strlen(repo);
	if (!url)
		return 0;
	ul = strlen(url);
	while (ul && url[ul - 1] == '/')
		ul--;
	if (ul >= 4 && strncmp(url + ul - 4, ".git", 4) == 0)
		ul -= 4;
	return ul > rl && strncmp(url + ul - rl, repo, rl) == 0 &&
	       (url[ul - rl - 1] == '/' || url[ul - rl - 1] == ':');
}

/* The expected commit for a GitRepository, from the most specific matching expectation. */
static const char *expected_sha(const flux_ctx *c, const char **branch_out)
{
	const platci_flux_object *o = c->obj;
	const char *any = NULL;

	*branch_out = NULL;
	for (size_t i = 0; i < c->opts->nexpect; i++) {
		const platci_drift_expect *e = &c->opts->expect[i];
		if (!e->sha || (e->repo && !url_names_repo(o->url, e->repo)))
			continue;
		if (!e->branch) {
			any = e->sha;
			continue;
		}
		if ((o->ref_branch && strcmp(o->ref_branch, e->branch) == 0) ||
			(o->ref_name && platci_flux_revision_on_branch(o->ref_name, e->branch)) ||
			(!o->ref_branch && !o->ref_name &&
				platci_flux_revision_on_branch(o->artifact_revision, e->branch))) {
			*branch_out = e->branch;
			return e->sha;
		}
	}
	/* A pinned tag or commit is not expected to follow a branch head. */
	if (any && (o->ref_tag || o->ref_semver || o->ref_commit))
		return NULL;
	return any;
}

static int check_source(flux_ctx *c)
{
	const platci_flux_object *o = c->obj;
	const char *sha, *branch;
	char a[160];

	if (o->kind != PLATCI_FLUX_GITREPOSITORY || !o->artifact_revision)
		return 0;
	if (!(sha = expected_sha(c, &branch)))
		return 0;
	if (platci_flux_revision_matches(o->artifact_revision, sha))
		return 0;
	return add(c, "flux.source-behind", NULL, o->artifact_revision, sha,
		"%s has fetched %s, but %s%s is at %.12s", c->identity,
		short_rev(o->artifact_revision, a, sizeof(a)), branch ? "branch " : "",
		branch ? branch : "the expected revision", sha);
}

static int check_applied(flux_ctx *c, const platci_flux_readiness *r)
{
	char a[160], b[160];

	if (!(r->blocked & PLATCI_FLUX_APPLY_BEHIND))
		return 0;
	if (c->obj->kind == PLATCI_FLUX_HELMRELEASE)
		return add(c, "flux.apply-behind", NULL, r->applied, r->target,
			"%s runs chart %s, but %s %s", c->identity, r->applied,
			r->source ? "its HelmChart has" : "the last attempt was", r->target);
	if (!r->applied)
		return add(c, "flux.apply-behind", NULL, NULL, r->target,
			"%s has never applied a revision; %s is %s", c->identity,
			r->source ? "its source" : "the last attempt",
			short_rev(r->target, b, sizeof(b)));
	return add(c, "flux.apply-behind", NULL, r->applied, r->target, "%s applied %s, but %s %s",
		c->identity, short_rev(r->applied, a, sizeof(a)),
		r->source ? "its source has" : "the last attempt was",
		short_rev(r->target, b, sizeof(b)));
}

int platci_drift__check_flux(platci_drift *d, const platci_flux_status *st, const platci_drift_options *opts)
{
	platci_flux_readiness r;
	flux_ctx c;
	int error;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.opts = opts;
	c.st = st;
	for (size_t i = 0; i < platci_flux_status_count(st); i++) {
		const platci_flux_object *o = platci_flux_status_at(st, i);
		if (o->kind == PLATCI_FLUX_UNKNOWN)
			continue; /* kubectl may list other kinds; they are not Flux's to judge */
		c.obj = o;
		snprintf(c.identity, sizeof(c.identity), "%s/%s/%s", o->kind_name,
			o->namespace_ ? o->namespace_ : "", o->name);
		platci__utf8_sanitize(c.identity);
		if ((error = platci_drift__add_checked(d, PLATCI_DRIFT_FLUX, c.identity)) < 0)
			return error;
		if (o->eol_api && (error = add(&c, "flux.deprecated-api", NULL, NULL, NULL,
					   "%s uses %s, removed in Flux 2.8: run `flux migrate`",
					   c.identity, o->api_version)) < 0)
			return error;
		if ((error = platci_flux_object_readiness(&r, st, o)) < 0)
			return error;
		if (r.blocked & PLATCI_FLUX_SUSPENDED) {
			/* Suspended: Flux neither applies nor corrects it, so its status says nothing. */
			if ((error = add(&c, "flux.suspended", NULL, NULL, NULL,
				     "%s is suspended: new revisions are not applied and drift is not "
				     "corrected",
				     c.identity)) < 0)
				return error;
			continue;
		}
		if ((error = check_conditions(&c, &r)) < 0 || (error = check_dependencies(&c)) < 0 ||
			(error = check_source(&c)) < 0 || (error = check_applied(&c, &r)) < 0)
			return error;
	}
	return 0;
}

int platci_drift_expect_parse(platci_drift_expect *out, char *text)
{
	char *eq, *sha;
	size_t len;

	PLATCI_ASSERT_ARG(out && text);
	eq = strchr(text, '=');
	sha = eq ? eq + 1 : text;
	len = strlen(sha);
	if (eq == text || len < 7 || len > 64 || strspn(sha, "0123456789abcdefABCDEF") != len)
		return PLATCI_EINVALID;
	if (eq)
		*eq = '\0';
	out->branch = eq ? text : NULL;
	out->sha = sha;
	out->repo = NULL;
	return 0;
}
