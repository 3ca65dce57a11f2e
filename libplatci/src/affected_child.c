/* The child pipeline: the parent's plan template, included once per environment whose
 * Terraform the change reaches. Jobs come from that one template, so the child runs with
 * the same image, runner tags, OIDC id_tokens, needs and protected artifacts as the
 * parent's plan jobs; it never spells out a job of its own except "nothing to plan". */
#include <jansson.h>
#include <string.h>

#include "affected_int.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_COMPONENT "$CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA"

/* Inputs the renderer sets itself for each environment. */
static const char *const reserved[] = { "environment", "root", "needs", "rules" };

int platci_affected_child_options_init(platci_affected_child_options *opts, unsigned int version)
{
	platci_affected_child_options init = PLATCI_AFFECTED_CHILD_OPTIONS_INIT;

	if (!opts || version != PLATCI_AFFECTED_CHILD_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

static int bad(platci_diag *diag, const char *what, const char *value)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EINVALID, NULL, 0, 0, 0, NULL, NULL };
	platci_diag_add(diag, &e, "child pipeline: %s: \"%s\"", what, value ? value : "");
	return PLATCI_EINVALID;
}

/* JSON is a subset of YAML's flow style, so jansson does the quoting. */
static void put_json(platci_buf *out, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	if (!text) {
		out->error = PLATCI_ENOMEM;
	} else {
		platci_buf_puts(out, text);
		free(text);
	}
}

static void put_str(platci_buf *out, const char *s)
{
	json_t *v = json_string(s);
	put_json(out, v);
	json_decref(v);
}

/* "key=value": the key as GitLab names inputs, the value typed when it is JSON. */
static int check_input(const char *kv, platci_diag *diag)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : 0;

	if (!eq || !klen)
		return bad(diag, "an input must be KEY=VALUE", kv);
	for (size_t i = 0; i < klen; i++)
		if (!(kv[i] == '_' || kv[i] == '-' || (kv[i] >= 'a' && kv[i] <= 'z') ||
			    (kv[i] >= 'A' && kv[i] <= 'Z') || (kv[i] >= '0' && kv[i] <= '9')))
			return bad(diag, "an input name holds only letters, digits, '_' and '-'", kv);
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(reserved); i++)
		if (strlen(reserved[i]) == klen && strncmp(kv, reserved[i], klen) == 0)
			return bad(diag, "platci sets this input for each environment", kv);
	return 0;
}

static const char *stage_of(const platci_affected_child_options *o)
{
	for (const char *const *kv = o->inputs; kv && *kv; kv++)
		if (strncmp(*kv, "stage=", 6) == 0 && (*kv)[6])
			return *kv + 6;
	return "plan";
}

static void put_input(platci_buf *out, const char *kv)
{
	const char *eq = strchr(kv, '=');
	json_t *v = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);

	platci_buf_puts(out, "      ");
	platci_buf_put(out, kv, (size_t)(eq - kv));
	platci_buf_puts(out, ": ");
	/* a JSON string stays whatever it was written as: only typed values are taken as JSON */
	if (v && !json_is_string(v))
		put_json(out, v);
	else
		put_str(out, eq + 1);
	platci_buf_putc(out, '\n');
	json_decref(v);
}

static void put_env(platci_buf *out, const platci_affected__env *e, const platci_affected_child_options *o)
{
	platci_buf_puts(out, o->local ? "  - local: " : "  - component: ");
	put_str(out, o->local ? o->local : o->component ? o->component : DEFAULT_COMPONENT);
	platci_buf_puts(out, "\n    inputs:\n      environment: ");
	put_str(out, e->env->name);
	platci_buf_puts(out, "\n      root: ");
	put_str(out, e->env->infra ? e->env->infra : ".");
	platci_buf_puts(out, "\n      needs: ");
	if (o->parent_job) {
		platci_buf_puts(out, "[{pipeline: $PARENT_PIPELINE_ID, job: ");
		put_str(out, o->parent_job);
		platci_buf_puts(out, "}]\n");
	} else {
		platci_buf_puts(out, "[]\n");
	}
	platci_buf_puts(out, "      rules: [{when: on_success}]\n");
	for (const char *const *kv = o->inputs; kv && *kv; kv++)
		put_input(out, *kv);
}

static void put_nothing_to_plan(platci_buf *out, const platci_affected *a)
{
	platci_buf msg = PLATCI_BUF_INIT;
	const char *sep = "";

	/* a shell command in a YAML string: env names are [a-z0-9-], nothing here needs escaping */
	platci_buf_puts(&msg,
		"echo \"platci - this change reaches no environment's Terraform; "
		"nothing to plan");
	if (platci_affected_kind_count(a, PLATCI_AFFECTED_GITOPS)) {
		platci_buf_puts(&msg, " (GitOps only: ");
		for (size_t i = 0; i < a->nenvs; i++)
			if (a->envs[i].kinds & PLATCI_AFFECTED_GITOPS) {
				platci_buf_printf(&msg, "%s%s", sep, a->envs[i].env->name);
				sep = ", ";
			}
		platci_buf_putc(&msg, ')');
	}
	platci_buf_putc(&msg, '"');
	platci_buf_puts(out, "\nno-terraform-to-plan:\n  stage: plan\n  script:\n    - ");
	put_str(out, msg.ptr);
	platci_buf_putc(out, '\n');
	if (msg.error)
		out->error = msg.error;
	platci_buf_dispose(&msg);
}

int platci_affected_child_options_check(const platci_affected_child_options *o, platci_diag *diag)
{
	if (!o)
		return 0;
	if (o->version != PLATCI_AFFECTED_CHILD_OPTIONS_VERSION)
		return bad(diag, "unknown options version", NULL);
	if (o->component && o->local)
		return bad(diag, "give the plan template as a component or a local file, not both",
			o->local);
	if (o->component && !strchr(o->component, '@'))
		return bad(diag, "a component address ends in @VERSION", o->component);
	for (const char *const *kv = o->inputs; kv && *kv; kv++)
		if (check_input(*kv, diag) < 0)
			return PLATCI_EINVALID;
	return 0;
}

int platci_affected_render_child_pipeline(platci_buf *out, const platci_affected *a,
	const platci_affected_child_options *opts, platci_diag *diag)
{
	platci_affected_child_options defaults = PLATCI_AFFECTED_CHILD_OPTIONS_INIT;
	const platci_affected_child_options *o = opts ? opts : &defaults;

	if (platci_affected_child_options_check(o, diag) < 0)
		return PLATCI_EINVALID;
	platci_buf_puts(out,
		"# Generated by platci-validate: plans the environments whose Terraform "
		"this change reaches,\n# with the plan template the parent pipeline uses. See "
		"docs/validate.md. Do not edit.\n");
	if (!platci_affected_kind_count(a, PLATCI_AFFECTED_TERRAFORM)) {
		platci_buf_puts(out, "stages: [plan]\n");
		put_nothing_to_plan(out, a);
		return out->error;
	}
	/* the template's jobs run in its `stage` input; a child pipeline declares its stages */
	platci_buf_puts(out, "stages: [");
	put_str(out, stage_of(o));
	platci_buf_puts(out, "]\ninclude:\n");
	for (size_t i = 0; i < a->nenvs; i++)
		if (a->envs[i].kinds & PLATCI_AFFECTED_TERRAFORM)
			put_env(out, &a->envs[i], o);
	return out->error;
}
