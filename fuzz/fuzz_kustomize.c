/*
 * Fuzzes kustomization parsing and resolution. The input holds up to three
 * kustomization files separated by lines "===": app/, base/ and comp/; two
 * plain resources sit beside them. References outside the set find nothing
 * on disk (the root does not exist).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NFILES = 5 };

static const char *const paths[NFILES] = { "app/kustomization.yaml", "app/patch.yaml",
	"base/cm.yaml", "base/kustomization.yaml", "comp/kustomization.yaml" };
static const int kfile[3] = { 0, 3, 4 };
static const char cm[] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_doc *docs[NFILES] = { NULL };
	platci_doc_options dopt = PLATCI_DOC_OPTIONS_INIT;
	platci_kustomize *k = NULL;
	const char *p = (const char *)data, *end = p + size;
	platci_kbuild b;

	dopt.max_depth = 64;
	dopt.max_alias_nodes = 10000;
	for (int f = 0; f < 3; f++) {
		const char *sep = NULL;
		for (const char *s = p; s + 5 <= end && !sep; s++)
			if (!memcmp(s, "\n===\n", 5))
				sep = s;
		platci_doc_load_buffer(&docs[kfile[f]], paths[kfile[f]], p,
			(size_t)((sep ? sep : end) - p), &dopt, NULL);
		p = sep ? sep + 5 : end;
	}
	platci_doc_load_buffer(&docs[1], paths[1], cm, sizeof(cm) - 1, NULL, NULL);
	platci_doc_load_buffer(&docs[2], paths[2], cm, sizeof(cm) - 1, NULL, NULL);
	if (platci_kustomize_new(&k, "/nonexistent/platci-fuzz", paths,
		    (const platci_doc *const *)docs, NFILES) == 0) {
		static const char *const dirs[] = { "app", "./base/", "comp" };
		for (size_t d = 0; d < 3; d++)
			if (platci_kustomize_resolve(&b, k, dirs[d], d == 1 ? "ns" : NULL) == 0) {
				for (size_t i = 0; i < b.file_count; i++)
					if (b.files[i] >= NFILES)
						abort();
				platci_kbuild_dispose(&b);
			}
		for (size_t i = 0; i < platci_kustomize_problem_count(k); i++)
			if (!platci_kustomize_problem_at(k, i))
				abort();
	}
	platci_kustomize_free(k);
	for (int f = 0; f < NFILES; f++)
		platci_doc_free(docs[f]);
	return 0;
}
