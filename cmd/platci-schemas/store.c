/* Loading the schema store and finding files: shared by check and list. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schemas_cmd.h"

static int load_crd_file(cli *c, platci_schema_store *st, const char *path, platci_diag *diag)
{
	platci_doc_options o = PLATCI_DOC_OPTIONS_INIT;
	platci_doc *doc = NULL;
	size_t n = strlen(path);
	int error;

	o.max_file_size = 32u << 20;
	error = n > 5 && !strcmp(path + n - 5, ".json") ? platci_doc_load_json_file(&doc, path, &o, diag)
							: platci_doc_load_file(&doc, path, &o, diag);
	if (error >= 0)
		error = platci_schema_store_add_crds(st, doc, NULL, NULL, diag);
	platci_doc_free(doc);
	(void)c;
	return error;
}

int schemas_load_store(cli *c, const schemas_args *a, platci_schema_store **out)
{
	platci_schema_store_options so = PLATCI_SCHEMA_STORE_OPTIONS_INIT;
	platci_schema_store *st = NULL;
	platci_diag *diag = NULL;
	char **files = NULL;
	size_t nfiles = 0;
	int error = 0, code = 0;

	*out = NULL;
	so.max_document_size = a->max_size;
	if (platci_diag_new(&diag) < 0 || platci_schema_store_new(&st, &so) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (a->crds.count == 0 || platci_fs_is_dir(a->schemas))
		error = platci_schema_store_load_dir(st, a->schemas, diag);
	for (size_t i = 0; i < a->crds.count && error >= 0; i++)
		if ((code = schemas_collect_files(c, a->crds.items[i], &files, &nfiles)) != 0)
			goto done;
	for (size_t i = 0; i < nfiles && error >= 0; i++)
		error = load_crd_file(c, st, files[i], diag);
	cli_print_diag(c, diag);
	if (error < 0) {
		code = cli_exit_for(error);
		goto done;
	}
	*out = st;
	st = NULL;
done:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	platci_schema_store_free(st);
	platci_diag_free(diag);
	return code;
}

static int wanted(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && (!strcmp(name + n - 5, ".yaml") || !strcmp(name + n - 5, ".json"))) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int add_file(char ***files, size_t *n, const char *path)
{
	char **grown = realloc(*files, (*n + 1) * sizeof(**files));

	if (!grown || !(grown[*n] = strdup(path))) {
		if (grown)
			*files = grown;
		return -1;
	}
	*files = grown;
	(*n)++;
	return 0;
}

typedef struct crd_files {
	cli *c;
	char ***files;
	size_t *n;
	int code; /* the exit code that stopped the walk */
} crd_files;

/* Regular CRD files below the folder (links not followed), in name order. */
static int crd_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	crd_files *w = payload;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;

	if (!st) {
		cli_error(w->c, "%s: cannot list the folder", full);
		w->code = CLI_EXIT_NOINPUT;
		return PLATCI_EIO;
	}
	if (S_ISREG(st->st_mode) && wanted(name) && add_file(w->files, w->n, full) < 0) {
		w->code = CLI_EXIT_INTERNAL;
		return PLATCI_ENOMEM;
	}
	return 0;
}

int schemas_collect_files(cli *c, const char *path, char ***files, size_t *n)
{
	if (platci_fs_is_dir(path)) {
		crd_files w = { c, files, n, 0 };
		int error = platci_fs_walk(path, 64, PLATCI_FS_WALK_UNLISTED, crd_entry, &w);
		return w.code ? w.code : error < 0 ? CLI_EXIT_INTERNAL : 0;
	}
	if (!platci_fs_exists(path)) {
		cli_error(c, "%s: no such file or folder", path);
		return CLI_EXIT_NOINPUT;
	}
	return add_file(files, n, path) < 0 ? CLI_EXIT_INTERNAL : 0;
}
