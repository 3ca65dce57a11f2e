/* What waits to be promoted: from the two version sets, or from a JSON list. */
#include "helpers.h"

static const char cfg_text[] =
	"version: 1\nenvironments:\n"
	"  - name: dev\n    infra: infra\n    cluster: c/dev\n    overlay: a/dev\n"
	"  - name: prd\n    infra: infra\n    cluster: c/prd\n    overlay: a/prd\n    promote_from: dev\n";

static void put(const char *dir, const char *rel, const char *text)
{
	free(th_write(dir, rel, text, strlen(text)));
}

static platci_config *tree(char **dir, const char *dev_images, const char *prd_images)
{
	platci_config *cfg = NULL;
	char path[1024];

	*dir = th_tmpdir();
	put(*dir, "platci.yaml", cfg_text);
	put(*dir, "infra/README.md", "x\n");
	put(*dir, "c/dev/README.md", "x\n");
	put(*dir, "c/prd/README.md", "x\n");
	put(*dir, "a/dev/kustomization.yaml", dev_images);
	put(*dir, "a/prd/kustomization.yaml", prd_images);
	snprintf(path, sizeof(path), "%s/platci.yaml", *dir);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, NULL), 0);
	return cfg;
}

Test(drift_pending, changed_pins_wait_one_sided_ones_do_not)
{
	platci_drift_pending_set *s = NULL;
	const platci_drift_pending *p;
	platci_config *cfg;
	char *dir;

	cfg = tree(&dir, "images:\n  - name: web\n    newTag: \"1.6.0\"\n  - name: api\n    newTag: \"2.0\"\n",
		"images:\n  - name: web\n    newTag: \"1.5.0\"\n  - name: only-prd\n    newTag: \"9\"\n");
	cr_assert_eq(platci_drift_pending_from_versions(&s, cfg, "prd", NULL), 0);
	cr_assert_eq(platci_drift_pending_set_count(s), 1);
	p = platci_drift_pending_set_items(s);
	cr_assert_str_eq(p[0].identity, "image:web.newTag");
	cr_assert_str_eq(p[0].file, "a/prd/kustomization.yaml");
	cr_assert_eq(p[0].line, 3);
	cr_assert_str_eq(p[0].current, "1.5.0");
	cr_assert_str_eq(p[0].source_value, "1.6.0");
	platci_drift_pending_set_free(s);
	/* The first environment promotes from none: nothing waits. */
	cr_assert_eq(platci_drift_pending_from_versions(&s, cfg, "dev", NULL), 0);
	cr_assert_eq(platci_drift_pending_set_count(s), 0);
	platci_drift_pending_set_free(s);
	cr_assert_eq(platci_drift_pending_from_versions(&s, cfg, "qa", NULL), PLATCI_ENOTFOUND);
	cr_assert_null(s);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(drift_pending, an_unreadable_overlay_is_an_error_with_its_position)
{
	platci_drift_pending_set *s = NULL;
	platci_diag *diag = NULL;
	platci_config *cfg;
	char *dir;

	cfg = tree(&dir, "images:\n  - name: web\n    newTag: [1, 2\n", "images: []\n");
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_drift_pending_from_versions(&s, cfg, "prd", diag), PLATCI_ESYNTAX);
	cr_assert_null(s);
	cr_assert_geq(platci_diag_count(diag), 1);
	cr_assert_str_eq(platci_diag_at(diag, 0)->source, "a/dev/kustomization.yaml");
	cr_assert_gt(platci_diag_at(diag, 0)->line, 0);
	platci_diag_free(diag);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

static char *write_text(const char *dir, const char *name, const char *text)
{
	return th_write(dir, name, text, strlen(text));
}

Test(drift_pending, a_list_from_a_file)
{
	platci_drift_pending_set *s = NULL;
	platci_diag *diag = NULL;
	char *dir = th_tmpdir(), *ok, *obj, *noid;

	ok = write_text(dir, "ok.json",
		"[{\"identity\": \"image web\", \"file\": \"f.yaml\", \"line\": 3, "
		"\"current\": \"1\", \"source\": \"2\"}, {\"identity\": \"x\", \"line\": -4}]");
	obj = write_text(dir, "obj.json", "{\"identity\": \"x\"}");
	noid = write_text(dir, "noid.json", "[{\"file\": \"f\"}]");
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_drift_pending_load(&s, ok, diag), 0);
	cr_assert_eq(platci_drift_pending_set_count(s), 2);
	cr_assert_str_eq(platci_drift_pending_set_items(s)[0].source_value, "2");
	cr_assert_eq(platci_drift_pending_set_items(s)[0].line, 3);
	cr_assert_eq(platci_drift_pending_set_items(s)[1].line, 0, "a negative line is unknown");
	cr_assert_null(platci_drift_pending_set_items(s)[1].file);
	platci_drift_pending_set_free(s);
	cr_assert_eq(platci_drift_pending_load(&s, obj, diag), PLATCI_EDATA);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "JSON array"));
	cr_assert_eq(platci_drift_pending_load(&s, noid, diag), PLATCI_EDATA);
	cr_assert_str_eq(platci_diag_at(diag, 1)->message, "pending[0] has no \"identity\" string");
	cr_assert_null(s);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
	free(ok);
	free(obj);
	free(noid);
}
