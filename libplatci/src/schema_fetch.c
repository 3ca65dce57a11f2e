/*
 * Saving a live cluster's schemas into the folder layout. kubectl runs in
 * the runner (through a callback); here: what to ask for, checking what
 * came back, and an all-or-nothing install of the version folder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platci/path.h"
#include "platci/fs.h"
#include "platci/json.h"
#include "schema_store_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

typedef struct fetch {
	const char *dir;
	platci_schema_kubectl_fn kubectl;
	void *payload;
	platci_schema_fetch_options opts;
	platci_schema_fetch_result *out;
	platci_diag *diag;
	char tmp[4096];
} fetch;

int platci_schema_fetch_options_init(platci_schema_fetch_options *opts, unsigned int version)
{
	platci_schema_fetch_options init = PLATCI_SCHEMA_FETCH_OPTIONS_INIT;

	if (version != PLATCI_SCHEMA_FETCH_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* Runs kubectl with @p args into @p out, capped at the document size. */
static int run(fetch *f, platci_buf *out, const char *const *args)
{
	size_t max = f->opts.max_document_size ? f->opts.max_document_size : STORE_DEFAULT_MAX_DOCUMENT;
	int error;

	platci_buf_dispose(out);
	platci_buf_init(out, max);
	if ((error = f->kubectl(out, args, f->diag, f->payload)) < 0)
		return error;
	if (out->error)
		return platci_diag_error(f->diag, out->error, "kubectl", 0, 0, 0,
			"kubectl %s %s: output over %zu bytes", args[0], args[1] ? args[1] : "", max);
	return 0;
}

static int write_file(fetch *f, const char *rel, const platci_buf *data)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_on_disk(&path, f->tmp, rel)) == 0)
		error = platci_fs_write_atomic(path.ptr, data->ptr, data->size, f->diag);
	platci_buf_dispose(&path);
	return error;
}

static int server_version(fetch *f)
{
	static const char *const args[] = { "version", "-o", "json", NULL };
	platci_buf out = PLATCI_BUF_INIT;
	json_t *root = NULL, *sv;
	char joined[64];
	int error;

	if ((error = run(f, &out, args)) < 0)
		goto done;
	if ((error = platci_json_parse(&root, "kubectl version -o json", out.ptr, out.size, f->diag)) < 0)
		goto done;
	sv = json_object_get(root, "serverVersion");
	snprintf(joined, sizeof(joined), "%s.%s",
		platci_json_str(sv, "major") ? platci_json_str(sv, "major") : "",
		platci_json_str(sv, "minor") ? platci_json_str(sv, "minor") : "");
	if (platci_schema_version_normalize(f->out->k8s_version, sizeof(f->out->k8s_version), joined) < 0) {
		error = platci_diag_error(f->diag, PLATCI_EDATA, "kubectl version -o json", 0, 0, 0,
			"no serverVersion.major/minor: is the cluster reachable?");
		goto done;
	}
	snprintf(f->out->server_version, sizeof(f->out->server_version), "%s",
		platci_json_str(sv, "gitVersion") ? platci_json_str(sv, "gitVersion") : joined);
done:
	json_decref(root);
	platci_buf_dispose(&out);
	return error;
}

/* A path from the v3 index is used in a file name and a URL: keep it plain. */
static int safe_v3_path(const char *p)
{
	if (!*p || *p == '/' || strstr(p, ".."))
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '.' || *p == '-' || *p == '_' || *p == '/'))
			return 0;
	return 1;
}

static int fetch_v3_doc(fetch *f, const char *path)
{
	platci_buf url = PLATCI_BUF_INIT, name = PLATCI_BUF_INIT, out = PLATCI_BUF_INIT;
	const char *args[] = { "get", "--raw", NULL, NULL };
	int error;

	platci_buf_printf(&url, "/openapi/v3/%s", path);
	platci_buf_puts(&name, "openapi-v3/");
	for (const char *p = path; *p; p++)
		platci_buf_puts(&name, *p == '/' ? "__" : (char[2]){ *p, 0 });
	platci_buf_puts(&name, ".json");
	if ((error = url.error ? url.error : name.error) < 0)
		goto done;
	args[2] = url.ptr;
	if ((error = run(f, &out, args)) < 0 || (error = write_file(f, name.ptr, &out)) < 0)
		goto done;
	f->out->documents++;
done:
	platci_buf_dispose(&url);
	platci_buf_dispose(&name);
	platci_buf_dispose(&out);
	return error;
}

static int fetch_v3(fetch *f)
{
	static const char *const args[] = { "get", "--raw", "/openapi/v3", NULL };
	platci_buf out = PLATCI_BUF_INIT;
	json_t *index = NULL, *paths;
	const char *key;
	json_t *val;
	platci_diag_entry w = { PLATCI_DIAG_WARNING, 0, "/openapi/v3", 0, 0, 0, NULL, NULL };
	int error;

	if (run(f, &out, args) < 0) {
		/* Before Kubernetes 1.27 /openapi/v3 may be off: v2 is enough. */
		platci_diag_add(f->diag, &w,
			"the cluster does not serve the OpenAPI v3 index: "
			"saved /openapi/v2 only");
		error = 0;
		goto done;
	}
	if ((error = platci_json_parse(&index, "/openapi/v3", out.ptr, out.size, f->diag)) < 0)
		goto done;
	if (!json_is_object(paths = json_object_get(index, "paths"))) {
		error = platci_diag_error(f->diag, PLATCI_EDATA, "/openapi/v3", 0, 0, 0,
			"the OpenAPI v3 index has no paths object");
		goto done;
	}
	if ((error = write_file(f, "openapi-v3/index.json", &out)) < 0)
		goto done;
	json_object_foreach (paths, key, val) {
		if (!safe_v3_path(key)) {
			error = platci_diag_error(f->diag, PLATCI_EDATA, "/openapi/v3", 0, 0, 0,
				"unexpected path \"%.200s\" in the index", key);
			goto done;
		}
		if ((error = fetch_v3_doc(f, key)) < 0)
			goto done;
	}
done:
	json_decref(index);
	platci_buf_dispose(&out);
	return error;
}

static int fetch_v2_and_crds(fetch *f)
{
	static const char *const v2[] = { "get", "--raw", "/openapi/v2", NULL };
	static const char *const crds[] = { "get", "customresourcedefinitions", "-o", "json", NULL };
	platci_buf out = PLATCI_BUF_INIT;
	json_t *list = NULL;
	int error;

	if ((error = run(f, &out, v2)) < 0 || (error = write_file(f, "openapi-v2.json", &out)) < 0)
		goto done;
	f->out->documents++;
	if ((error = run(f, &out, crds)) < 0 || (error = platci_json_parse(&list, "kubectl get crd -o json",
							 out.ptr, out.size, f->diag)) < 0)
		goto done;
	if (!json_is_array(json_object_get(list, "items"))) {
		error = platci_diag_error(f->diag, PLATCI_EDATA, "kubectl get crd -o json", 0, 0, 0,
			"not a List: no items array");
		goto done;
	}
	f->out->crds = json_array_size(json_object_get(list, "items"));
	error = write_file(f, "crds/crds.json", &out);
done:
	json_decref(list);
	platci_buf_dispose(&out);
	return error;
}

static int write_record(fetch *f)
{
	json_t *rec = json_pack("{s:s?, s:s, s:s, s:I, s:I}", "env", f->opts.env, "kubernetes",
		f->out->k8s_version, "serverVersion", f->out->server_version, "documents",
		(json_int_t)f->out->documents, "crds", (json_int_t)f->out->crds);
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	if (!rec)
		return PLATCI_ENOMEM;
	platci_buf_printf(&path, "%s/fetched.json", f->tmp);
	error = path.error ? path.error : platci_json_write_file(path.ptr, rec, f->diag);
	json_decref(rec);
	platci_buf_dispose(&path);
	return error;
}

/* Loads the fetched folder as a store would: what cannot be used is not installed. */
static int verify(fetch *f)
{
	platci_schema_store_options so = PLATCI_SCHEMA_STORE_OPTIONS_INIT;
	platci_schema_store *st = NULL;
	int error;

	so.max_document_size = f->opts.max_document_size;
	if ((error = platci_schema_store_new(&st, &so)) < 0)
		return error;
	error = platci_schema__load_version_dir(st, f->tmp, f->out->k8s_version, f->diag);
	platci_schema_store_free(st);
	return error;
}

/* Replaces DIR/<version> with the fetched folder: two renames, the old one removed after. */
static int install(fetch *f)
{
	platci_buf final = PLATCI_BUF_INIT, old = PLATCI_BUF_INIT;
	int error = 0, had_old = 0;

	platci_buf_printf(&old, "%s/.old-%s.%ld", f->dir, f->out->k8s_version, (long)getpid());
	if (platci_path_on_disk(&final, f->dir, f->out->k8s_version) < 0 || old.error) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if (platci_fs_exists(final.ptr)) {
		if (rename(final.ptr, old.ptr) < 0) {
			error = platci_diag_error(f->diag, PLATCI_EIO, final.ptr, 0, 0, 0,
				"cannot move aside: %s", strerror(errno));
			goto done;
		}
		had_old = 1;
	}
	if (rename(f->tmp, final.ptr) < 0) {
		error = platci_diag_error(f->diag, PLATCI_EIO, final.ptr, 0, 0, 0,
			"cannot install: %s", strerror(errno));
		if (had_old)
			rename(old.ptr, final.ptr);
		goto done;
	}
	f->tmp[0] = '\0';
	if (had_old)
		platci__rmtree(old.ptr, 2);
done:
	platci_buf_dispose(&final);
	platci_buf_dispose(&old);
	return error;
}

static int make_tmp(fetch *f)
{
	platci_buf dir = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_fs_mkdirs(f->dir, f->diag)) < 0)
		return error;
	if (snprintf(f->tmp, sizeof(f->tmp), "%s/.fetch-%s.XXXXXX", f->dir, f->out->k8s_version) >=
			(int)sizeof(f->tmp) ||
		!mkdtemp(f->tmp)) {
		f->tmp[0] = '\0';
		return platci_diag_error(f->diag, PLATCI_EIO, f->dir, 0, 0, 0,
			"cannot create a temporary folder: %s", strerror(errno));
	}
	platci_buf_printf(&dir, "%s/openapi-v3", f->tmp);
	error = dir.error ? dir.error : platci_fs_mkdirs(dir.ptr, f->diag);
	platci_buf_clear(&dir);
	platci_buf_printf(&dir, "%s/crds", f->tmp);
	if (error >= 0)
		error = dir.error ? dir.error : platci_fs_mkdirs(dir.ptr, f->diag);
	platci_buf_dispose(&dir);
	return error;
}

int platci_schema_fetch(platci_schema_fetch_result *out, const char *dir, platci_schema_kubectl_fn kubectl,
	void *payload, const platci_schema_fetch_options *opts, platci_diag *diag)
{
	fetch f;
	int error;

	if (!out || !dir || !*dir || !kubectl ||
		(opts && opts->version != PLATCI_SCHEMA_FETCH_OPTIONS_VERSION))
		return PLATCI_EINVALID;
	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.dir = dir;
	f.kubectl = kubectl;
	f.payload = payload;
	f.out = out;
	f.diag = diag;
	if (opts)
		f.opts = *opts;
	else
		platci_schema_fetch_options_init(&f.opts, PLATCI_SCHEMA_FETCH_OPTIONS_VERSION);
	if ((error = server_version(&f)) < 0 || (error = make_tmp(&f)) < 0 ||
		(error = fetch_v2_and_crds(&f)) < 0)
		goto done;
	if (!f.opts.skip_openapi_v3 && (error = fetch_v3(&f)) < 0)
		goto done;
	if ((error = write_record(&f)) < 0 || (error = verify(&f)) < 0)
		goto done;
	error = install(&f);
done:
	if (f.tmp[0])
		platci__rmtree(f.tmp, 2);
	return error;
}
