#include <string.h>

#include "platci/fs.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_MAX_JSON (64u * 1024 * 1024)

int platci_json_parse(json_t **out, const char *name, const char *data, size_t len,
	platci_diag *diag)
{
	json_error_t err;
	json_t *v;

	*out = NULL;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		int code = json_error_code(&err) == json_error_out_of_memory ? PLATCI_ENOMEM
									      : PLATCI_ESYNTAX;
		platci_diag_entry e = { PLATCI_DIAG_ERROR, code, name,
			err.line > 0 ? (size_t)err.line : 0,
			err.column > 0 ? (size_t)err.column : 0,
			err.position > 0 ? (size_t)err.position : 0, NULL, NULL };
		platci_diag_add(diag, &e, "invalid JSON: %s", err.text);
		return code;
	}
	*out = v;
	return 0;
}

int platci_json_load_file(json_t **out, const char *path, size_t max, platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = platci_fs_read(&data, path, max ? max : DEFAULT_MAX_JSON, diag)) == 0)
		error = platci_json_parse(out, path, data.ptr, data.size, diag);
	platci_buf_dispose(&data);
	return error;
}

static int dump_cb(const char *buffer, size_t size, void *payload)
{
	return platci_buf_put(payload, buffer, size) < 0 ? -1 : 0;
}

int platci_json_write_file(const char *path, const json_t *value, platci_diag *diag)
{
	platci_buf out = PLATCI_BUF_INIT;
	int error = 0;

	if (json_dump_callback(value, dump_cb, &out, JSON_INDENT(2) | JSON_SORT_KEYS) < 0 ||
	    platci_buf_putc(&out, '\n') < 0) {
		error = out.error ? out.error : PLATCI_ENOMEM;
		goto done;
	}
	error = platci_fs_write_atomic(path, out.ptr, out.size, diag);
done:
	platci_buf_dispose(&out);
	return error;
}

const char *platci_json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}
