/*
 * Prints the Terraform facts platci's HCL scanner reads from each .tf file
 * named on the command line, one per line, for the differential test
 * against terraform (tests/corpus/hcl-terraform.sh):
 *   module   NAME SOURCE [VERSION]
 *   provider LOCAL-NAME SOURCE VERSION   (required_providers)
 *   backend  TYPE
 * Exit 65 when a file does not scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

#include "hcl.h"

static int in(const hcl_file *f, size_t b, const char *type)
{
	return b != HCL_TOP && !strcmp(f->blocks[b].type, type);
}

static void print_facts(const hcl_file *f)
{
	for (size_t b = 0; b < f->nblocks; b++) {
		const hcl_block *k = &f->blocks[b];
		const char *s = platci__hcl_attr(f, b, "source", NULL);
		const char *v = platci__hcl_attr(f, b, "version", NULL);

		if (k->parent == HCL_TOP && !strcmp(k->type, "module") && k->nlabels == 1)
			printf("module\t%s\t%s\t%s\n", k->labels[0], s ? s : "", v ? v : "");
		else if (in(f, k->parent, "required_providers") &&
			 in(f, f->blocks[k->parent].parent, "terraform"))
			printf("provider\t%s\t%s\t%s\n", k->type, s ? s : "", v ? v : "");
		else if (!strcmp(k->type, "backend") && k->nlabels == 1 && in(f, k->parent, "terraform"))
			printf("backend\t%s\n", k->labels[0]);
	}
}

int main(int argc, char **argv)
{
	int code = 0;

	for (int i = 1; i < argc; i++) {
		platci_buf src = PLATCI_BUF_INIT;
		platci_diag *diag = NULL;
		hcl_file f;

		if (platci_diag_new(&diag) < 0 || platci_fs_read(&src, argv[i], 0, diag) < 0 ||
			platci__hcl_scan(&f, src.ptr, src.size, argv[i], diag) < 0) {
			for (size_t d = 0; diag && d < platci_diag_count(diag); d++)
				fprintf(stderr, "%s\n", platci_diag_at(diag, d)->message);
			code = 65;
		} else {
			print_facts(&f);
			platci__hcl_dispose(&f);
		}
		platci_buf_dispose(&src);
		platci_diag_free(diag);
	}
	return code;
}
