#include <string.h>

#include "platci/fs.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_MAX_JSON (64u * 1024 * 1024)

/*
 * jansson reports a duplicate key at its closing quote: move the column to
 * the opening one, where the json_stream reader reports it too. @p end is
 * the byte after the key. Returns how many characters the key spans less one.
 */
static size_t key_span(const char *data, size_t end)
{
	size_t i = end - 1, chars = 0;

	while (i > 0) {
		size_t bs = 0;
		i--;
		while (bs < i && data[i - 1 - bs] == '\\')
			bs++;
		if ((unsigned char)(data[i] & 0xC0) != 0x80)
			chars++;
		if (data[i] == '"' && bs % 2 == 0)
			return chars;
	}
	return 0;
}

int platci_json_parse(json_t **out, const char *name, const char *data, size_t len, platci_diag *diag)
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
		int code = json_error_code(&err) == json_error_out_of_memory ? PLATCI_ENOMEM : PLATCI_ESYNTAX;
		platci_diag_entry e = { PLATCI_DIAG_ERROR, code, name,
			err.line > 0 ? (size_t)err.line : 0, err.column > 0 ? (size_t)err.column : 0,
			err.position > 0 ? (size_t)err.position : 0, NULL, NULL };
		const char *dup = "duplicate object key near '";

		if (strncmp(err.text, dup, strlen(dup)) == 0 && err.position > 0 &&
			(size_t)err.position <= len && data[err.position - 1] == '"') {
			/* The same words and place as the streaming reader's (json_stream.c). */
			size_t span = key_span(data, (size_t)err.position);
			const char *key = err.text + strlen(dup);
			size_t klen = strlen(key);
			e.column = e.column > span ? e.column - span : e.column;
			e.offset -= span < e.offset ? span : 0;
			code = PLATCI_ESYNTAX;
			e.code = PLATCI_EDUPLICATE;
			platci_diag_add(diag, &e,
				"duplicate key %.*s in a JSON object: which of the two "
				"values counts would be a guess, so the input is refused",
				(int)(klen && key[klen - 1] == '\'' ? klen - 1 : klen), key);
			return code;
		}
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
