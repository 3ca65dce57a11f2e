/*
 * Every policy file checks its environment names against platci.yaml, in
 * one place (issue 13 item 6): a typo is an error at file:line:column with a
 * did-you-mean, never a rule that silently stops matching.
 */
#include "test_helpers.h"

static platci_config *cfg;
static platci_diag *diag;
static char *dir;

static void setup(void)
{
	platci_config_options o = PLATCI_CONFIG_OPTIONS_INIT;

	o.skip_path_checks = 1;
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, PLATCI_SOURCE_DIR "/platci.yaml", NULL, &o, diag), 0);
	dir = th_tmpdir();
}

static void teardown(void)
{
	platci_config_free(cfg);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
}

TestSuite(envs, .init = setup, .fini = teardown);

static void expect(int rc, const char *file, size_t line, size_t column, const char *message)
{
	char text[600];
	int found = 0;

	cr_assert_eq(rc, PLATCI_EDATA);
	for (size_t i = 0; i < platci_diag_count(diag); i++) {
		const platci_diag_entry *e = platci_diag_at(diag, i);
		platci_diag_format(text, sizeof(text), e);
		if (strstr(e->message, message) && strstr(e->source, file) && e->line == line &&
			e->column == column)
			found = 1;
	}
	cr_assert(found, "no %s:%zu:%zu: %s (first: %s)", file, line, column, message,
		platci_diag_count(diag) ? platci_diag_at(diag, 0)->message : "none");
}

static char *write(const char *name, const char *text)
{
	return th_write(dir, name, text, strlen(text));
}

Test(envs, manifests)
{
	static const char enforcement[] = "enforcement:\n  default: deny\n  stagin: warn\n";
	static const char match[] =
		"rules:\n  - id: R\n    match: {environments: [prodution]}\n"
		"    require: [{path: a, exists: true}]\n";
	static const char fine[] =
		"enforcement: {default: deny, dev-uaenorth: warn}\n"
		"rules:\n  - id: R\n    match: {environments: ['!dev-uaenorth', 'prd-*']}\n"
		"    require: [{path: a, exists: true}]\n";
	platci_policy *p = NULL;

	expect(platci_policy_load_buffer(&p, "m.yaml", enforcement, strlen(enforcement), cfg, 0, diag),
		"m.yaml", 3, 3,
		"enforcement: unknown environment \"stagin\"; did you mean "
		"\"stg-uaenorth\"?");
	expect(platci_policy_load_buffer(&p, "m.yaml", match, strlen(match), cfg, 0, diag),
		"m.yaml", 3, 28,
		"environments: unknown environment \"prodution\"; did you mean "
		"\"prd-uaenorth\"?");
	cr_assert_eq(platci_policy_load_buffer(&p, "m.yaml", fine, strlen(fine), cfg, 0, diag), 0);
	platci_policy_free(p);
	/* without a config nothing is checked: tools that load a policy alone still can */
	cr_assert_eq(platci_policy_load_buffer(&p, "m.yaml", match, strlen(match), NULL, 0, NULL), 0);
	platci_policy_free(p);
}

Test(envs, gates)
{
	char *path = write("gates.yaml", "version: 1\nenvironments:\n  prod-uaenorth: {}\n");
	platci_gate_policy *p = NULL;

	expect(platci_gate_policy_load(&p, path, cfg, diag), "gates.yaml", 3, 3,
		"environments: unknown environment \"prod-uaenorth\"; did you mean \"prd-uaenorth\"?");
	cr_assert_null(p);
	free(path);
}

Test(envs, scan)
{
	char *path = write("scan.yaml",
		"version: 1\nwaivers:\n  - id: CVE-1\n"
		"    environments: [stg-uaenort]\n    reason: r\n    owner: o\n    expires: 2027-01-01\n");
	platci_scan_policy *p = NULL;

	expect(platci_scan_policy_load(&p, path, cfg, diag), "scan.yaml", 4, 20,
		"environments: unknown environment \"stg-uaenort\"; did you mean \"stg-uaenorth\"?");
	free(path);
}

Test(envs, scan_waiver_files_added_later)
{
	char *pol = write("scan.yaml", "version: 1\n");
	char *waivers = write("w.yaml",
		"waivers:\n  - id: CVE-1\n    environments: [dev]\n"
		"    reason: r\n    owner: o\n    expires: 2027-01-01\n");
	platci_scan_policy *p = NULL;
	platci_scan *s = NULL;

	cr_assert_eq(platci_scan_policy_load(&p, pol, cfg, diag), 0);
	cr_assert_eq(platci_scan_new(&s, p, NULL), 0);
	expect(platci_scan_add_waivers(s, waivers, diag), "w.yaml", 3, 20,
		"environments: unknown environment \"dev\"; did you mean \"dev-uaenorth\"?");
	platci_scan_free(s);
	platci_scan_policy_free(p);
	free(pol);
	free(waivers);
}

Test(envs, drift)
{
	static const char bad[] =
		"ignore:\n  - id: a\n    address: x\n"
		"    envs: [prod-*, dev-uaenorth]\n    reason: r\n    owner: o\n    expires: 2027-01-01\n";
	platci_drift_policy *p = NULL;

	expect(platci_drift_policy_load_buffer(&p, "drift.yaml", bad, strlen(bad), cfg, diag),
		"drift.yaml", 4, 12,
		"envs: \"prod-*\" matches no environment of platci.yaml "
		"(dev-uaenorth, stg-uaenorth or prd-uaenorth)");
	cr_assert_null(p);
}

Test(envs, the_repository_s_policies_name_real_environments)
{
	platci_policy *m = NULL;
	platci_gate_policy *g = NULL;
	platci_scan_policy *s = NULL;
	platci_drift_policy *d = NULL;

	cr_assert_eq(platci_policy_load_file(&m, PLATCI_SOURCE_DIR "/policies/manifests.yaml",
			     "policies/manifests.yaml", cfg, 0, diag),
		0);
	cr_assert_eq(platci_gate_policy_load(&g, PLATCI_SOURCE_DIR "/policies/gates.yaml", cfg, diag), 0);
	cr_assert_eq(platci_scan_policy_load(&s, PLATCI_SOURCE_DIR "/policies/scan.yaml", cfg, diag), 0);
	cr_assert_eq(platci_drift_policy_load(&d, PLATCI_SOURCE_DIR "/policies/drift.yaml", cfg, diag), 0);
	cr_assert_eq(platci_diag_count(diag), 0);
	platci_policy_free(m);
	platci_gate_policy_free(g);
	platci_scan_policy_free(s);
	platci_drift_policy_free(d);
}
