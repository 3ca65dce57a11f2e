/*
 * What the target environment's policy would say about a promotion: the
 * validator's built-in rule on chart versions (flux.helm-version-range)
 * and the manifest policy's rules, evaluated on every changed file before
 * and after the edit. A deny the promotion would bring refuses it, unless
 * --force (with a reason) lets it through, recorded. Denials the target
 * already has are not the promotion's doing and do not block it.
 */
#include <string.h>

#include "promote.h"
#include "platci/doc.h"
#include "platci/flux.h"
#include "platci/k8s.h"
#include "util/common.h"
#include "util/banned.h"

#define HELM_RULE "flux.helm-version-range"

/* The chart version pins that a protected target would deny (validate's rule, on the pin). */
static int helm_ranges(platci_promotion *p, const platci_env *to)
{
	int error = 0;

	if (!to->is_protected)
		return 0;
	for (size_t i = 0; i < p->nchanges && !error; i++) {
		const platci_promote_change *c = &p->changes[i];
		size_t klen = strlen(c->key);

		if (c->kind != PLATCI_PIN_HELM || klen < 8 || strcmp(c->key + klen - 8, ".version") != 0 ||
			!c->new_value || platci_flux_version_is_pinned(c->new_value))
			continue;
		/* A range replacing a range is debt the target already has. */
		if (c->old_value && !platci_flux_version_is_pinned(c->old_value))
			continue;
		error = platci_promote__policy_deny(p,
			"%s: %s:%zu: chart version \"%s\" is a range, "
			"which %s denies in protected environment %s (was \"%s\"); pin one version",
			c->key, c->file, c->line, c->new_value, HELM_RULE, p->to,
			c->old_value ? c->old_value : "");
	}
	return error;
}

/* The manifest policy's findings on every document of @p data (named @p file) in @p to. */
static int evaluate(platci_findings *out, const platci_policy *policy, const platci_env *to,
	const char *file, const char *data, size_t len)
{
	platci_doc *doc = NULL;
	int error;

	/* The file was read before and rendered after: a parse failure here is someone else's. */
	if (platci_doc_load_buffer(&doc, file, data, len, NULL, NULL) < 0)
		return 0;
	error = 0;
	for (size_t i = 0; i < platci_doc_count(doc) && !error; i++) {
		platci_policy_target t;
		platci_k8s_id id;

		if (!platci_k8s_identity(&id, platci_doc_root_at(doc, i)) || !id.kind)
			continue;
		memset(&t, 0, sizeof(t));
		t.file = file;
		t.doc = i;
		t.root = platci_doc_root_at(doc, i);
		t.namespace_ = id.namespace_;
		t.env = to->name;
		t.env_protected = to->is_protected;
		error = platci_policy_eval(policy, NULL, &t, out, NULL);
	}
	platci_doc_free(doc);
	return error;
}

static int had(const platci_findings *before, const platci_finding *f)
{
	for (size_t i = 0; i < platci_findings_count(before); i++)
		if (strcmp(platci_findings_at(before, i)->fingerprint, f->fingerprint) == 0)
			return 1;
	return 0;
}

static int manifest_rules(platci_promotion *p, const platci_policy *policy, const platci_env *to)
{
	platci_findings *before = NULL, *after = NULL;
	int error = 0;

	if ((error = platci_findings_new(&before)) < 0 || (error = platci_findings_new(&after)) < 0)
		goto done;
	for (size_t i = 0; i < p->nfiles; i++) {
		const promote_file *f = &p->files[i];
		if ((error = evaluate(before, policy, to, f->path, f->old_data, f->old_len)) < 0 ||
			(error = evaluate(after, policy, to, f->path, f->new_data, f->new_len)) < 0)
			goto done;
	}
	for (size_t i = 0; i < platci_findings_count(after); i++) {
		const platci_finding *f = platci_findings_at(after, i);
		if (f->enforcement != PLATCI_ENFORCE_DENY || f->waiver || had(before, f))
			continue;
		if ((error = platci_promote__policy_deny(p, "%s:%zu: %s [%s, the policy of %s]",
			     f->file, f->line, f->message, f->rule_id, p->to)) < 0)
			goto done;
	}
done:
	platci_findings_free(before);
	platci_findings_free(after);
	return error;
}

int platci_promote__check_policy(platci_promotion *p, const platci_config *cfg,
	const platci_promote_options *opts)
{
	const platci_env *to = platci_config_env(cfg, p->to);
	int error;

	if (!to || !p->nchanges)
		return 0;
	if ((error = helm_ranges(p, to)) < 0)
		return error;
	return opts->policy ? manifest_rules(p, opts->policy, to) : 0;
}
