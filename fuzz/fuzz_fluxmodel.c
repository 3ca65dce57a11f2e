/*
 * Fuzzes the render model's reader of kustomize output: a stand-in
 * "kustomize" prints the input for every build, so the model reads the
 * bytes as rendered objects, finds Flux Kustomizations, sources and
 * HelmReleases in them, resolves their paths and runs its checks. The
 * cluster folder holds one kustomization so that a build happens.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[96], script[128], input[128];
static platci_render_tools tools;

static int put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	return chmod(path, mode);
}

/* Removes what setup() made (libFuzzer leaves through exit()). */
static void cleanup(void)
{
	char p[192];

	unlink(input);
	unlink(script);
	snprintf(p, sizeof(p), "%s/clusters/fuzz/kustomization.yaml", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/clusters/fuzz", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/clusters", root);
	rmdir(p);
	rmdir(root);
}

static int setup(void)
{
	char p[192], body[256];

	snprintf(root, sizeof(root), "/tmp/platci-fuzz-fluxmodel-%ld", (long)getpid());
	snprintf(script, sizeof(script), "%s.kustomize", root);
	snprintf(input, sizeof(input), "%s.yaml", root);
	mkdir(root, 0700);
	snprintf(p, sizeof(p), "%s/clusters", root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/clusters/fuzz", root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/clusters/fuzz/kustomization.yaml", root);
	if (put(p, "resources: []\n", 0600) < 0)
		return -1;
	snprintf(body, sizeof(body),
		"#!/bin/sh\n[ \"$1\" = version ] && { echo v5.4.2; exit 0; }\n"
		"exec cat %s\n",
		input);
	if (put(script, body, 0700) < 0)
		return -1;
	snprintf(tools.kustomize, sizeof(tools.kustomize), "%s", script);
	snprintf(tools.kustomize_version, sizeof(tools.kustomize_version), "v5.4.2");
	snprintf(tools.tmp_dir, sizeof(tools.tmp_dir), "/tmp");
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	platci_fluxmodel_options o = PLATCI_FLUXMODEL_OPTIONS_INIT;
	platci_fluxmodel *m = NULL;
	platci_findings *findings = NULL;
	FILE *f;

	if (!ready && setup() < 0)
		return 0;
	ready = 1;
	if (!(f = fopen(input, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	o.root = root;
	o.cluster = "clusters/fuzz";
	o.env = "fuzz";
	o.tools = &tools;
	o.jobs = 1;
	o.timeout_ms = 10000;
	o.max_kustomizations = 20;
	o.max_generated = 20;
	if (platci_findings_new(&findings) < 0)
		return 0;
	if (platci_fluxmodel_build(&m, &o, findings, NULL) == 0)
		for (size_t i = 0; i < platci_fluxmodel_object_count(m); i++)
			if (!platci_fluxmodel_object_at(m, i)->kind)
				abort();
	platci_fluxmodel_free(m);
	platci_findings_free(findings);
	return 0;
}
