/* The schema store: layout, lookups, CRDs, removed APIs, fetch; and the real documents. */
#include <sys/stat.h>
#include <unistd.h>

#include "test_helpers.h"

/* Two small OpenAPI v2 documents. 1.20 serves batch/v1beta1 and batch/v1 CronJob; 1.21
 * only batch/v1. So batch/v1beta1 CronJob is removed in 1.21, replaced by batch/v1. */
#define META \
	"\"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta\": {\"type\": \"object\", " \
	"\"properties\": {\"name\": {\"type\": \"string\"}, \"labels\": {\"type\": \"object\", " \
	"\"additionalProperties\": {\"type\": \"string\"}}}}"
#define CRONJOB(v) \
	"\"io.k8s.api.batch." v \
	".CronJob\": {\"type\": \"object\", " \
	"\"required\": [\"spec\"], \"properties\": {\"apiVersion\": {\"type\": \"string\"}, " \
	"\"kind\": {\"type\": \"string\"}, \"metadata\": {\"$ref\": " \
	"\"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta\"}, \"spec\": " \
	"{\"type\": \"object\", \"properties\": {\"schedule\": {\"type\": \"string\"}}}}, " \
	"\"x-kubernetes-group-version-kind\": [{\"group\": \"batch\", \"kind\": \"CronJob\", " \
	"\"version\": \"" v "\"}]}"

static const char v120[] = "{\"swagger\": \"2.0\", \"definitions\": {" META
			   ", " CRONJOB("v1beta1") ", " CRONJOB("v1") "}}";
static const char v121[] = "{\"swagger\": \"2.0\", \"definitions\": {" META ", " CRONJOB("v1") "}}";

static const char crd[] =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: widgets.example.com}\n"
	"spec:\n"
	"  group: example.com\n"
	"  names: {kind: Widget}\n"
	"  versions:\n"
	"  - name: v1\n"
	"    served: true\n"
	"    schema:\n"
	"      openAPIV3Schema:\n"
	"        type: object\n"
	"        properties:\n"
	"          apiVersion: {type: string}\n"
	"          kind: {type: string}\n"
	"          metadata: {type: object}\n"
	"          spec:\n"
	"            type: object\n"
	"            properties:\n"
	"              interval: {type: string, pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'}\n"
	"              size: {type: integer, x-kubernetes-validations: [{rule: 'self > 0'}]}\n"
	"  - name: v0\n"
	"    served: false\n";

static char *layout(void)
{
	char *dir = th_tmpdir();

	free(th_write(dir, "1.20/openapi-v2.json", v120, strlen(v120)));
	free(th_write(dir, "1.21/openapi-v2.json", v121, strlen(v121)));
	free(th_write(dir, "1.21/crds/widgets.yaml", crd, strlen(crd)));
	free(th_write(dir, "README.md", "x", 1));
	return dir;
}

static platci_schema_store *load(const char *dir, platci_diag *diag)
{
	platci_schema_store *st = NULL;

	cr_assert_eq(platci_schema_store_new(&st, NULL), 0);
	cr_assert_eq(platci_schema_store_load_dir(st, dir, diag), 0);
	return st;
}

static int check(platci_schema_store *st, const char *version, const char *yaml, int strict,
	platci_schema_violations *v)
{
	platci_schema_check_options o = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	platci_doc *d = NULL;
	int rc;

	o.strict = strict;
	cr_assert_eq(platci_doc_load_buffer(&d, "o.yaml", yaml, strlen(yaml), NULL, NULL), 0);
	platci_schema_violations_clear(v);
	rc = platci_schema_store_validate(v, st, version, platci_doc_root_at(d, 0), "o.yaml", &o);
	platci_doc_free(d);
	return rc;
}

Test(schema_store, layout_versions_kinds_and_warnings)
{
	char *dir = layout();
	platci_diag *diag = NULL;
	platci_schema_store *st;

	cr_assert_eq(platci_diag_new(&diag), 0);
	st = load(dir, diag);
	cr_assert_eq(platci_schema_store_version_count(st), 2);
	cr_assert_str_eq(platci_schema_store_version_at(st, 0), "1.20");
	cr_assert_str_eq(platci_schema_store_version_at(st, 1), "1.21");
	cr_assert_eq(platci_schema_store_gvk_count(st, "1.20"), 2);
	cr_assert_eq(platci_schema_store_gvk_count(st, "v1.21.7"), 2); /* CronJob + the CRD's Widget */
	cr_assert_str_eq(platci_schema_store_gvk_at(st, "1.21", 0)->api_version, "batch/v1");
	cr_assert_eq(platci_schema_store_gvk_at(st, "1.21", 1)->origin, PLATCI_SCHEMA_FROM_CRD);
	cr_assert_eq(platci_schema_store_find(st, "1.21", "example.com/v0", "Widget"), 0);
	cr_assert_eq(platci_schema_store_unsupported_count(st), 1);
	cr_assert_eq(platci_diag_count(diag), 1); /* README.md: a warning */
	cr_assert_eq(platci_diag_at(diag, 0)->level, PLATCI_DIAG_WARNING);
	platci_schema_store_free(st);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
}

Test(schema_store, removed_apis_come_from_the_documents)
{
	char *dir = layout();
	platci_schema_store *st = load(dir, NULL);
	platci_schema_removal r;

	cr_assert_eq(platci_schema_store_removed(&r, st, "1.21", "batch/v1beta1", "CronJob"), 1);
	cr_assert_str_eq(r.last_served, "1.20");
	cr_assert_str_eq(r.removed_in, "1.21");
	cr_assert_str_eq(r.replacement, "batch/v1");
	cr_assert_eq(platci_schema_store_removed(&r, st, "1.21", "batch/v1", "CronJob"), 0);
	cr_assert_eq(platci_schema_store_removed(&r, st, "1.20", "batch/v1beta1", "CronJob"), 0);
	cr_assert_eq(platci_schema_store_removed(&r, st, "1.21", "never/v1", "Thing"), 0);
	cr_assert_eq(platci_schema_store_removed(&r, st, "1.19", "batch/v1beta1", "CronJob"),
		PLATCI_EVERSION);
	platci_schema_store_free(st);
	th_rmrf(dir);
	free(dir);
}

Test(schema_store, validate_by_version_kind_and_crd)
{
	char *dir = layout();
	platci_schema_store *st = load(dir, NULL);
	platci_schema_violations *v = NULL;
	const char *cj = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: 5}\n";

	cr_assert_eq(platci_schema_violations_new(&v), 0);
	cr_assert_eq(check(st, "1.20", cj, 0, v), 1);
	cr_assert_str_eq(platci_schema_violations_at(v, 0)->path, "spec.schedule");
	cr_assert_eq(platci_schema_violations_at(v, 0)->pos.line, 4);
	cr_assert_eq(check(st, "1.21", cj, 0, v), PLATCI_ENOTFOUND);
	cr_assert_eq(check(st, "1.22", cj, 0, v), PLATCI_EVERSION);
	cr_assert_eq(check(st, "1.21", "kind: CronJob\n", 0, v), PLATCI_EINVALID);
	/* a CRD's root takes ObjectMeta for metadata: a typo there is an unknown field */
	cr_assert_eq(check(st, "1.21",
			     "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n"
			     "  name: w\n  lables: {a: b}\nspec: {interval: 5m, size: 2}\n",
			     1, v),
		1);
	cr_assert_str_eq(platci_schema_violations_at(v, 0)->path, "metadata.lables");
	cr_assert(strstr(platci_schema_violations_at(v, 0)->message, "did you mean \"labels\""));
	cr_assert_eq(check(st, "1.21",
			     "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
			     "spec: {interval: 5 minutes}\n",
			     0, v),
		1);
	cr_assert_eq(platci_schema_violations_at(v, 0)->problem, PLATCI_SCHEMA_V_FORMAT);
	platci_schema_violations_free(v);
	platci_schema_store_free(st);
	th_rmrf(dir);
	free(dir);
}

Test(schema_store, repository_crds_apply_to_every_version)
{
	platci_schema_store *st = NULL;
	platci_doc *d = NULL;
	size_t added = 0;

	cr_assert_eq(platci_schema_store_new(&st, NULL), 0);
	cr_assert_eq(platci_doc_load_buffer(&d, "crd.yaml", crd, strlen(crd), NULL, NULL), 0);
	cr_assert_eq(platci_schema_store_add_crds(st, d, NULL, &added, NULL), 0);
	cr_assert_eq(added, 1);
	cr_assert_eq(platci_schema_store_add_crds(st, d, NULL, &added, NULL), 0);
	cr_assert_eq(added, 0); /* met again: the first wins */
	cr_assert_eq(platci_schema_store_find(st, "1.99", "example.com/v1", "Widget"),
		PLATCI_SCHEMA_FROM_REPO_CRD);
	platci_doc_free(d);
	platci_schema_store_free(st);
}

Test(schema_store, a_crd_without_a_schema_is_refused)
{
	const char *bad =
		"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
		"metadata: {name: gadgets.example.com}\nspec:\n  group: example.com\n"
		"  names: {kind: Gadget}\n  versions:\n  - name: v1\n    served: true\n";
	platci_schema_store *st = NULL;
	platci_diag *diag = NULL;
	platci_doc *d = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_schema_store_new(&st, NULL), 0);
	cr_assert_eq(platci_doc_load_buffer(&d, "gadget.yaml", bad, strlen(bad), NULL, NULL), 0);
	cr_assert_eq(platci_schema_store_add_crds(st, d, NULL, NULL, diag), PLATCI_EDATA);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "served version v1 has no schema.openAPIV3Schema"));
	cr_assert_eq(platci_diag_at(diag, 0)->line, 8);
	platci_doc_free(d);
	platci_diag_free(diag);
	platci_schema_store_free(st);
}

Test(schema_store, not_an_openapi_document_is_refused)
{
	char *dir = th_tmpdir();
	platci_schema_store *st = NULL;
	platci_diag *diag = NULL;

	free(th_write(dir, "1.30/openapi-v2.json", "{\"hello\": 1}", 12));
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_schema_store_new(&st, NULL), 0);
	cr_assert_eq(platci_schema_store_load_dir(st, dir, diag), PLATCI_EDATA);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "not a Kubernetes OpenAPI document"));
	cr_assert_eq(platci_schema_store_load_dir(st, "/nonexistent-platci", NULL), PLATCI_ENOTFOUND);
	platci_schema_store_free(st);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
}

Test(schema_store, version_names_normalise)
{
	char out[16];

	cr_assert_eq(platci_schema_version_normalize(out, sizeof(out), "v1.31.4-gke.100"), 0);
	cr_assert_str_eq(out, "1.31");
	cr_assert_eq(platci_schema_version_normalize(out, sizeof(out), "1.30"), 0);
	cr_assert_str_eq(out, "1.30");
	cr_assert_eq(platci_schema_version_normalize(out, sizeof(out), "1.31+"), 0);
	cr_assert_eq(platci_schema_version_normalize(out, sizeof(out), "latest"), PLATCI_EINVALID);
	cr_assert_eq(platci_schema_version_normalize(out, sizeof(out), "1"), PLATCI_EINVALID);
}

/* ---- the real documents (../shared/fixtures) ------------------------------------------- */

Test(schema_store, kubernetes_1_31_and_flux_crds)
{
	char *dir;
	platci_schema_store *st = NULL;
	platci_schema_violations *v = NULL;
	platci_schema_removal r;
	const char *deploy =
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  creationTimestamp: null\n"
		"spec:\n  replicas: \"3\"\n  selector: {matchLabels: {app: web}}\n  template:\n"
		"    metadata: {labels: {app: web}}\n    spec:\n      containers:\n"
		"      - name: web\n        image: nginx\n        resources: {requests: {cpu: 100m, memory: 1Gi}}\n"
		"        ports: [{containerPort: http}]\n";

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at %s", PLATCI_TEST_FIXTURES);
	dir = th_tmpdir();
	{
		char link[4096];
		snprintf(link, sizeof(link), "%s/1.31", dir);
		mkdir(link, 0755);
		th_symlink(dir, "1.31/openapi-v2.json",
			PLATCI_TEST_FIXTURES "/k8s-openapi/swagger-release-1.31.json");
		snprintf(link, sizeof(link), "%s/1.30", dir);
		mkdir(link, 0755);
		th_symlink(dir, "1.30/openapi-v2.json",
			PLATCI_TEST_FIXTURES "/k8s-openapi/swagger-release-1.30.json");
		th_symlink(dir, "crds", PLATCI_TEST_FIXTURES "/flux-crds");
	}
	st = load(dir, NULL);
	cr_assert_eq(platci_schema_violations_new(&v), 0);
	/* replicas as a string and a named containerPort: two type errors, at their lines */
	cr_assert_eq(check(st, "1.31", deploy, 1, v), 1);
	cr_assert_eq(platci_schema_violations_count(v), 2);
	cr_assert_str_eq(platci_schema_violations_at(v, 0)->path, "spec.replicas");
	cr_assert_eq(platci_schema_violations_at(v, 0)->pos.line, 7);
	cr_assert_str_eq(platci_schema_violations_at(v, 1)->path,
		"spec.template.spec.containers[0].ports[0].containerPort");
	cr_assert_eq(platci_schema_violations_at(v, 1)->pos.line, 16);
	/* Flux objects against Flux's own CRDs */
	cr_assert_eq(check(st, "1.31",
			     "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
			     "metadata: {name: apps, namespace: flux-system}\nspec:\n  intervall: 10m\n"
			     "  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n",
			     1, v),
		1);
	cr_assert_str_eq(platci_schema_violations_at(v, 0)->path, "spec.intervall");
	cr_assert(strstr(platci_schema_violations_at(v, 0)->message, "did you mean \"interval\""));
	/* what 1.30 served and 1.31 does not */
	cr_assert_eq(platci_schema_store_removed(&r, st, "1.31",
			     "flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
		1);
	cr_assert_str_eq(r.replacement, "flowcontrol.apiserver.k8s.io/v1");
	platci_schema_violations_free(v);
	platci_schema_store_free(st);
	th_rmrf(dir);
	free(dir);
}

/* ---- fetch, with kubectl played by a table ------------------------------------------------ */

typedef struct fake {
	int fail_crds;
	size_t calls;
} fake;

static int fake_kubectl(platci_buf *out, const char *const *args, platci_diag *diag, void *payload)
{
	fake *f = payload;
	static const char v3doc[] = "{\"openapi\": \"3.0.0\", \"components\": {\"schemas\": {}}}";

	(void)diag;
	f->calls++;
	if (!strcmp(args[0], "version"))
		return platci_buf_puts(out,
			"{\"serverVersion\": {\"major\": \"1\", \"minor\": \"21+\", "
			"\"gitVersion\": \"v1.21.14-eks\"}}");
	if (!strcmp(args[0], "get") && !strcmp(args[1], "--raw") && !strcmp(args[2], "/openapi/v2"))
		return platci_buf_puts(out, v121);
	if (!strcmp(args[0], "get") && !strcmp(args[1], "--raw") && !strcmp(args[2], "/openapi/v3"))
		return platci_buf_puts(out,
			"{\"paths\": {\"apis/batch/v1\": {\"serverRelativeURL\": \"x\"}}}");
	if (!strcmp(args[0], "get") && !strcmp(args[1], "--raw"))
		return platci_buf_puts(out, v3doc);
	if (!strcmp(args[0], "get") && !f->fail_crds)
		return platci_buf_puts(out, "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}");
	return PLATCI_ENETWORK;
}

Test(schema_store, fetch_installs_a_whole_folder_or_nothing)
{
	char *dir = th_tmpdir(), path[4096];
	platci_schema_fetch_options o = PLATCI_SCHEMA_FETCH_OPTIONS_INIT;
	platci_schema_fetch_result res;
	fake f = { 0, 0 };
	char *text;

	o.env = "dev-uaenorth";
	cr_assert_eq(platci_schema_fetch(&res, dir, fake_kubectl, &f, &o, NULL), 0);
	cr_assert_str_eq(res.k8s_version, "1.21");
	cr_assert_str_eq(res.server_version, "v1.21.14-eks");
	cr_assert_eq(res.documents, 2);
	snprintf(path, sizeof(path), "%s/1.21/openapi-v3/apis__batch__v1.json", dir);
	cr_assert(platci_fs_exists(path));
	snprintf(path, sizeof(path), "%s/1.21/fetched.json", dir);
	text = th_read(path, NULL);
	cr_assert(text && strstr(text, "\"env\": \"dev-uaenorth\""));
	free(text);
	/* a failed fetch leaves the folder as it was, and no temporary folder behind */
	f.fail_crds = 1;
	cr_assert_eq(platci_schema_fetch(&res, dir, fake_kubectl, &f, &o, NULL), PLATCI_ENETWORK);
	snprintf(path, sizeof(path), "%s/1.21/openapi-v2.json", dir);
	cr_assert(platci_fs_exists(path));
	{
		char cmd[4200];
		snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1", dir);
		cr_assert_eq(system(cmd), 0, "leftovers in %s", dir);
	}
	th_rmrf(dir);
	free(dir);
}
