/*
 * In-place scalar edits on YAML bytes, and all-or-nothing writes of a
 * set of files. Nothing here parses YAML: the callers locate scalars with
 * platci/doc.h and hand over byte ranges.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "platci/yamledit.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/banned.h"

/* ---- quoting ---------------------------------------------------------------- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return 1;
	return 0;
}

/* [0-9][0-9_]* at *p; advances. */
static int digits(const char **p)
{
	const char *s = *p;

	if (!is_digit(*s))
		return 0;
	while (is_digit(*s) || *s == '_')
		s++;
	*p = s;
	return 1;
}

static int exponent(const char **p)
{
	const char *s = *p;

	if (*s != 'e' && *s != 'E')
		return 1; /* optional */
	s++;
	if (*s == '+' || *s == '-')
		s++;
	if (!is_digit(*s))
		return 0;
	while (is_digit(*s))
		s++;
	*p = s;
	return 1;
}

/* Numbers of YAML 1.1 and 1.2 core: ints in any base, floats, sexagesimals, inf, nan. */
static int reads_as_number(const char *v)
{
	static const char *const special[] = { ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", NULL };
	const char *p = v;

	if (*p == '+' || *p == '-')
		p++;
	if (one_of(p, special))
		return 1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X' || p[1] == 'o' || p[1] == 'b') && p[2]) {
		for (p += 2; *p; p++)
			if (!is_digit(*p) && *p != '_' &&
				!((*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
				return 0;
		return 1;
	}
	if (*p == '.') {
		p++;
		return digits(&p) && exponent(&p) && *p == '\0';
	}
	if (!digits(&p))
		return 0;
	if (*p == '\0')
		return 1;
	if (*p == ':') { /* 1:20, 190:20:30.15 */
		while (*p == ':') {
			p++;
			if (!is_digit(*p))
				return 0;
			p++;
			if (is_digit(*p))
				p++;
		}
		if (*p == '.') {
			p++;
			while (is_digit(*p) || *p == '_')
				p++;
		}
		return *p == '\0';
	}
	if (*p == '.') {
		p++;
		while (is_digit(*p) || *p == '_')
			p++;
		return exponent(&p) && *p == '\0';
	}
	if (*p == 'e' || *p == 'E')
		return exponent(&p) && *p == '\0';
	return 0;
}

int platci_yamledit_needs_quotes(const char *v)
{
	static const char *const words[] = { "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes",
		"YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
		"FALSE", "on", "On", "ON", "off", "Off", "OFF", "=", "<<", NULL };
	size_t n;

	if (!v || !*v)
		return 1;
	n = strlen(v);
	if (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t')
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", v[0]))
		return 1;
	if (v[n - 1] == ':')
		return 1;
	for (size_t i = 0, open = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f || strchr(",[]", (char)c))
			return 1;
		/* Braces only as `${VAR}` placeholders, which must stay as written. */
		if (c == '{' && !(i > 0 && v[i - 1] == '$'))
			return 1;
		if (c == '{')
			open++;
		if (c == '}' && open-- == 0)
			return 1;
		if (c == ':' && (v[i + 1] == ' ' || v[i + 1] == '\t'))
			return 1;
		if (c == '#' && i > 0 && (v[i - 1] == ' ' || v[i - 1] == '\t'))
			return 1;
	}
	if (one_of(v, words) || reads_as_number(v))
		return 1;
	/* YAML 1.1 timestamps: 2026-01-31 and anything that starts like one. */
	if (n >= 8 && is_digit(v[0]) && is_digit(v[1]) && is_digit(v[2]) && is_digit(v[3]) &&
		v[4] == '-' && is_digit(v[5]))
		return 1;
	return 0;
}

int platci_yamledit_render_scalar(platci_buf *out, const char *value, platci_node_style style)
{
	PLATCI_ASSERT_ARG(out && value);
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return PLATCI_EDATA;
	switch (style) {
	case PLATCI_STYLE_PLAIN:
	case PLATCI_STYLE_DOUBLE_QUOTED:
		/* A plain scalar that would change meaning gets double quotes. */
		if (style == PLATCI_STYLE_PLAIN && !platci_yamledit_needs_quotes(value))
			return platci_buf_puts(out, value);
		platci_buf_putc(out, '"');
		for (const char *p = value; *p; p++) {
			if (*p == '"' || *p == '\\')
				platci_buf_putc(out, '\\');
			platci_buf_putc(out, *p);
		}
		return platci_buf_putc(out, '"');
	case PLATCI_STYLE_SINGLE_QUOTED:
		platci_buf_putc(out, '\'');
		for (const char *p = value; *p; p++) {
			if (*p == '\'')
				platci_buf_putc(out, '\'');
			platci_buf_putc(out, *p);
		}
		return platci_buf_putc(out, '\'');
	default:
		return PLATCI_EDATA;
	}
}

/* ---- applying edits ------------------------------------------------------------ */

typedef struct order {
	const platci_yamledit *e;
	size_t seq;
} order;

static int order_cmp(const void *a, const void *b)
{
	const order *x = a, *y = b;

	if (x->e->start != y->e->start)
		return x->e->start < y->e->start ? -1 : 1;
	/* Inserts before a replacement at the same place; otherwise input order. */
	if ((x->e->start == x->e->end) != (y->e->start == y->e->end))
		return x->e->start == x->e->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void pos_of(const char *src, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, ls = 0;

	for (size_t i = 0; i < off; i++)
		if (src[i] == '\n') {
			l++;
			ls = i + 1;
		}
	*line = l;
	*col = off - ls + 1;
}

/*
 * The parser's range of a scalar starts at its properties (`&anchor`,
 * `!tag`): an edit keeps them and replaces the value only, or an alias of
 * the anchor would be left dangling.
 */
static size_t skip_properties(const char *src, size_t start, size_t end)
{
	while (start < end && (src[start] == '&' || src[start] == '!')) {
		if (src[start++] == '&') /* libyaml's anchor names: letters, digits, '-', '_' */
			while (start < end && (isalnum((unsigned char)src[start]) ||
						      src[start] == '-' || src[start] == '_'))
				start++;
		else /* a tag runs to the blank libyaml requires after it */
			while (start < end && !strchr(" \t\r\n", src[start]))
				start++;
		while (start < end && strchr(" \t\r\n", src[start]))
			start++;
	}
	return start;
}

/*
 * Whether libyaml reads @p len bytes of @p text to its end; 1 yes, 0 no
 * (@p problem_at: the byte offset of the problem), -1 out of memory.
 */
static int yaml_reads(const char *text, size_t len, size_t *problem_at)
{
	yaml_parser_t parser;
	yaml_event_t event;
	int ok = 1, done = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			ok = parser.error == YAML_MEMORY_ERROR ? -1 : 0;
			*problem_at = parser.problem_mark.index;
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	return ok;
}

/*
 * An edit must leave a file YAML can read. A value that changes style
 * (plain to quoted) changes how libyaml scans what follows it: a blank
 * line holding a tab is part of a plain scalar's folding, but after a
 * quoted one it is a token error. Such an edit is refused where the file
 * read before it.
 */
static int still_reads(const platci_buf *out, const char *src, size_t len, const char *name,
	platci_diag *diag)
{
	size_t at = 0, was = 0;
	int r = yaml_reads(out->ptr, out->size, &at);
	platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 0, 0, 0, NULL, NULL };

	if (r < 0)
		return PLATCI_ENOMEM;
	if (r == 1 || yaml_reads(src, len, &was) != 1)
		return 0;
	pos_of(out->ptr, at < out->size ? at : out->size, &d.line, &d.column);
	d.offset = at;
	platci_diag_add(diag, &d,
		"the edit would leave a file YAML cannot read (at line %zu of the result): "
		"not written",
		d.line);
	return PLATCI_EDATA;
}

int platci_yamledit_apply(platci_buf *out, const char *src, size_t len,
	const platci_yamledit *edits, size_t n, const char *name, platci_diag *diag)
{
	order *ord = NULL;
	size_t at = 0;
	int error = 0;

	PLATCI_ASSERT_ARG(out && (src || !len) && (edits || !n));
	platci_buf_clear(out);
	if (n && len >= 2 &&
		((src[0] == '\xff' && src[1] == '\xfe') || (src[0] == '\xfe' && src[1] == '\xff'))) {
		/* libyaml reads a UTF-16 file through UTF-8: its offsets are not this file's */
		platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 1, 1, 0, NULL, NULL };
		platci_diag_add(diag, &d, "a UTF-16 file is not edited in place");
		return PLATCI_EDATA;
	}
	if (n) {
		PLATCI_CHECK_ALLOC(ord = calloc(n, sizeof(*ord)));
		for (size_t i = 0; i < n; i++) {
			ord[i].e = &edits[i];
			ord[i].seq = i;
		}
		qsort(ord, n, sizeof(*ord), order_cmp);
	}
	for (size_t i = 0; i < n; i++) {
		const platci_yamledit *e = ord[i].e;
		size_t line, col, value_at;

		if (e->start > e->end || e->end > len || e->start < at || !e->value) {
			platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EINVALID, name, 0, 0,
				e->start, NULL, NULL };
			platci_diag_add(diag, &d, "edit at bytes %zu-%zu overlaps another or leaves the file",
				e->start, e->end);
			error = PLATCI_EINVALID;
			goto done;
		}
		if (!e->raw && skip_properties(src, e->start, e->end) == e->end) {
			/* An empty plain scalar has no bytes (past its `&anchor` or `!tag`): the
			 * parser reports it where the next token starts (often the next key), so
			 * writing there corrupts it. */
			platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 0, 0,
				e->start, NULL, NULL };
			pos_of(src, e->start, &line, &col);
			d.line = line;
			d.column = col;
			platci_diag_add(diag, &d,
				"cannot write \"%s\" in place here: the value is "
				"empty, so there are no bytes to replace",
				e->value);
			error = PLATCI_EDATA;
			goto done;
		}
		value_at = e->raw ? e->start : skip_properties(src, e->start, e->end);
		platci_buf_put(out, src + at, value_at - at);
		if (!e->raw && value_at > e->start && !strchr(" \t\r\n", src[value_at - 1]))
			platci_buf_putc(out, ' '); /* "&a:b": a new value must not extend the anchor */
		if (e->raw)
			platci_buf_puts(out, e->value);
		else if ((error = platci_yamledit_render_scalar(out, e->value, e->style)) < 0 &&
			 error != PLATCI_ENOMEM) {
			platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 0, 0,
				e->start, NULL, NULL };
			pos_of(src, e->start, &line, &col);
			d.line = line;
			d.column = col;
			platci_diag_add(diag, &d, "cannot write \"%s\" in place here: %s", e->value,
				e->style == PLATCI_STYLE_LITERAL || e->style == PLATCI_STYLE_FOLDED
					? "block scalars are not edited"
					: "line breaks or control characters");
			goto done;
		} else if (error < 0) {
			goto done;
		}
		at = e->end;
	}
	platci_buf_put(out, src + at, len - at);
	if ((error = out->error) == 0 && n)
		error = still_reads(out, src, len, name, diag);
done:
	free(ord);
	return error;
}

/* ---- all-or-nothing writes -------------------------------------------------------- */

typedef struct pending {
	char *path;
	char *data;
	size_t len;
	char *tmp; /* temporary file, while committing */
	char *old; /* old contents, to put back when a later rename fails */
	size_t old_len;
	int had_old;
} pending;

struct platci_yamledit_files {
	pending *files;
	size_t n, alloc;
};

int platci_yamledit_files_new(platci_yamledit_files **out)
{
	PLATCI_ASSERT_ARG(out);
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : PLATCI_ENOMEM;
}

static void pending_dispose(pending *p)
{
	free(p->path);
	free(p->data);
	free(p->tmp);
	free(p->old);
	memset(p, 0, sizeof(*p));
}

void platci_yamledit_files_free(platci_yamledit_files *files)
{
	if (!files)
		return;
	for (size_t i = 0; i < files->n; i++)
		pending_dispose(&files->files[i]);
	free(files->files);
	free(files);
}

size_t platci_yamledit_files_count(const platci_yamledit_files *files)
{
	return files ? files->n : 0;
}

int platci_yamledit_files_put(platci_yamledit_files *files, const char *path, const char *data, size_t len)
{
	pending p;
	size_t i;

	PLATCI_ASSERT_ARG(files && path && (data || !len));
	memset(&p, 0, sizeof(p));
	p.path = platci__strdup(path);
	p.data = malloc(len ? len : 1);
	if (!p.path || !p.data) {
		pending_dispose(&p);
		return PLATCI_ENOMEM;
	}
	if (len)
		memcpy(p.data, data, len);
	p.len = len;
	for (i = 0; i < files->n; i++)
		if (strcmp(files->files[i].path, path) == 0)
			break;
	if (i < files->n) {
		pending_dispose(&files->files[i]);
		files->files[i] = p;
		return 0;
	}
	if (platci__grow_array((void **)&files->files, &files->alloc, files->n + 1,
		    sizeof(*files->files)) < 0) {
		pending_dispose(&p);
		return PLATCI_ENOMEM;
	}
	files->files[files->n++] = p;
	return 0;
}

static int io_error(platci_diag *diag, const char *path, const char *what)
{
	platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EIO, path, 0, 0, 0, NULL, NULL };
	platci_diag_add(diag, &d, "%s: %s", what, strerror(errno));
	return PLATCI_EIO;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes p->data to a synced temporary file next to p->path. */
static int write_temp(pending *p, platci_diag *diag)
{
	platci_buf tmp = PLATCI_BUF_INIT, old = PLATCI_BUF_INIT;
	struct stat st;
	int fd = -1, error = 0;
	mode_t mode = 0644;

	if (stat(p->path, &st) == 0) {
		mode = st.st_mode & 07777;
		if (platci_fs_read(&old, p->path, 0, NULL) < 0) {
			error = io_error(diag, p->path, "cannot read the file before replacing it");
			goto done;
		}
		p->old_len = old.size;
		PLATCI_CHECK_ALLOC(p->old = platci_buf_detach(&old));
		p->had_old = 1;
	}
	platci_buf_printf(&tmp, "%s.platci-XXXXXX", p->path);
	if ((error = tmp.error) < 0)
		goto done;
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error = io_error(diag, p->path, "cannot create a temporary file next to it");
		goto done;
	}
	PLATCI_CHECK_ALLOC(p->tmp = platci__strdup(tmp.ptr));
	if (fchmod(fd, mode) != 0 || write_all(fd, p->data, p->len) != 0 || fsync(fd) != 0) {
		error = io_error(diag, p->path, "cannot write the new contents");
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		error = io_error(diag, p->path, "cannot write the new contents");
		goto done;
	}
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	platci_buf_dispose(&tmp);
	platci_buf_dispose(&old);
	return error;
}

int platci_yamledit_files_commit(platci_yamledit_files *files, platci_diag *diag)
{
	size_t i, renamed = 0;
	int error = 0;

	PLATCI_ASSERT_ARG(files);
	for (i = 0; i < files->n; i++)
		if ((error = write_temp(&files->files[i], diag)) < 0)
			goto done;
	for (i = 0; i < files->n; i++, renamed++) {
		if (rename(files->files[i].tmp, files->files[i].path) != 0) {
			error = io_error(diag, files->files[i].path, "cannot replace the file");
			goto done;
		}
		free(files->files[i].tmp);
		files->files[i].tmp = NULL;
	}
done:
	for (i = 0; i < files->n; i++) {
		if (files->files[i].tmp) {
			unlink(files->files[i].tmp);
			free(files->files[i].tmp);
			files->files[i].tmp = NULL;
		}
	}
	/* A rename failed after others went through: put the old contents back. */
	for (i = 0; error < 0 && i < renamed; i++) {
		pending *p = &files->files[i];
		if (p->had_old)
			platci_fs_write_atomic(p->path, p->old, p->old_len, diag);
		else
			unlink(p->path);
	}
	return error;
}
