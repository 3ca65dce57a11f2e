/*
 * The sticky MR note: one note per marker, updated in place, the previous
 * result collapsed, the body kept under GitLab's limit.
 */
#include <stdio.h>
#include <string.h>

#include "gitlab_private.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

#define MARKER_PREFIX "<!-- platci:"
#define PREVIOUS_MARK "<!-- platci:previous -->"
#define PREVIOUS_HEAD \
	"\n\n" PREVIOUS_MARK "\n<details><summary>Previous result (superseded)</summary>\n\n"
#define PREVIOUS_TAIL "\n\n</details>\n"
/* Below this much room an old result is more noise than history: drop it. */
#define MIN_PREVIOUS_ROOM 512

int platci_gitlab_marker(platci_buf *out, const char *stage, const char *env)
{
	return platci_buf_printf(out, MARKER_PREFIX "%s:%s -->", stage ? stage : "run", env ? env : "all");
}

int platci_gitlab__marker_valid(const char *marker)
{
	size_t n;

	if (!marker || strncmp(marker, MARKER_PREFIX, strlen(MARKER_PREFIX)) != 0)
		return 0;
	n = strlen(marker);
	return n > strlen(MARKER_PREFIX) + 4 && strcmp(marker + n - 4, " -->") == 0 &&
	       !strchr(marker, '\n') && strcmp(marker, PREVIOUS_MARK) != 0;
}

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

int platci_gitlab__note_has_marker(const char *body, const char *marker)
{
	size_t n = strlen(marker);

	body = skip_blank(body);
	/* The marker must be the whole first line: a prefix such as ":dev" must not match ":dev-2". */
	return strncmp(body, marker, n) == 0 && (body[n] == '\0' || body[n] == '\n' || body[n] == '\r');
}

/* Copies @p s with CRLF turned into LF and trailing blank space removed. */
static void normalise(platci_buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			platci_buf_putc(out, s[i]);
	while (out->size && (out->ptr[out->size - 1] == '\n' || out->ptr[out->size - 1] == ' ' ||
				    out->ptr[out->size - 1] == '\t' || out->ptr[out->size - 1] == '\r'))
		platci_buf_truncate(out, out->size - 1);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0, len = strlen(what);
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += len)
		n++;
	return n;
}

static size_t fence_lines(const char *s)
{
	size_t n = 0;
	for (const char *p = s; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, "```", 3) == 0)
			n++;
	}
	return n;
}

static size_t cut_point(const platci_buf *buf, size_t max)
{
	size_t at = max;

	/* Prefer the end of a line in the last half; else any UTF-8 character boundary. */
	while (at > max / 2 && buf->ptr[at] != '\n')
		at--;
	if (buf->ptr[at] != '\n') {
		at = max;
		while (at > 0 && ((unsigned char)buf->ptr[at] & 0xC0) == 0x80)
			at--;
	}
	return at;
}

void platci_gitlab__cut(platci_buf *buf, size_t max)
{
	size_t open_details, fences, need = 0;

	if (buf->size <= max)
		return;
	for (int pass = 0; pass < 3; pass++) {
		size_t at = cut_point(buf, max > need ? max - need : 0);
		char keep = buf->ptr[at];
		size_t opened, closed;

		buf->ptr[at] = '\0';
		opened = count(buf->ptr, "<details");
		closed = count(buf->ptr, "</details>");
		fences = fence_lines(buf->ptr) % 2;
		buf->ptr[at] = keep;
		open_details = opened > closed ? opened - closed : 0;
		/* Closing what the cut left open keeps the rest of the note (the pointer) visible. */
		if (at + fences * 4 + open_details * 11 <= max || pass == 2) {
			platci_buf_truncate(buf, at);
			if (fences)
				platci_buf_puts(buf, "\n```");
			for (size_t i = 0; i < open_details; i++)
				platci_buf_puts(buf, "\n</details>");
			return;
		}
		need = fences * 4 + open_details * 11;
	}
}

static void pointer_text(platci_buf *out, const char *artifacts_url)
{
	platci_buf_puts(out,
		"\n\n---\n:scissors: This summary was cut to fit GitLab's limit of "
		"1,000,000 characters per note. The full `summary.md` is in ");
	if (artifacts_url)
		platci_buf_printf(out, "[the job's artifacts](%s).\n", artifacts_url);
	else
		platci_buf_puts(out, "the job's artifacts.\n");
}

/* The body with @p marker as its first line (replacing another platci marker line). */
static void with_marker(platci_buf *out, const char *marker, const char *body)
{
	const char *b = skip_blank(body), *eol;

	platci_buf_puts(out, marker);
	platci_buf_putc(out, '\n');
	if (strncmp(b, MARKER_PREFIX, strlen(MARKER_PREFIX)) == 0) {
		eol = strchr(b, '\n');
		b = eol ? eol + 1 : b + strlen(b);
	}
	normalise(out, b, strlen(b));
}

int platci_gitlab__note_compose(platci_buf *out, int *changed_out, int *truncated_out,
	const char *marker, const char *body, const char *old, size_t limit, const char *artifacts_url)
{
	platci_buf cur = PLATCI_BUF_INIT, was = PLATCI_BUF_INIT, ptr = PLATCI_BUF_INIT;
	const char *prev, *prev_mark;
	size_t room;
	int error = 0;

	*changed_out = 1;
	*truncated_out = 0;
	with_marker(&cur, marker, body);
	pointer_text(&ptr, artifacts_url);
	if ((error = cur.error ? cur.error : ptr.error) < 0)
		goto done;
	if (limit <= ptr.size + strlen(marker) + 64) {
		error = PLATCI_EINVALID;
		goto done;
	}
	if (cur.size > limit) {
		platci_gitlab__cut(&cur, limit - ptr.size);
		platci_buf_puts(&cur, ptr.ptr);
		*truncated_out = 1;
	}
	if (!old) {
		platci_buf_put(out, cur.ptr, cur.size);
		error = out->error;
		goto done;
	}
	prev_mark = strstr(old, "\n" PREVIOUS_MARK);
	normalise(&was, old, prev_mark ? (size_t)(prev_mark - old) : strlen(old));
	if ((error = was.error) < 0)
		goto done;
	if (strcmp(skip_blank(was.ptr), cur.ptr) == 0) {
		/* Same result: leave the note (and the history it holds) as it is. */
		*changed_out = 0;
		platci_buf_puts(out, old);
		error = out->error;
		goto done;
	}
	platci_buf_put(out, cur.ptr, cur.size);
	/* Keep one level of history, without its marker so that only one line ever matches. */
	prev = skip_blank(was.ptr);
	if (platci_gitlab__note_has_marker(prev, marker)) {
		prev = strchr(prev, '\n');
		prev = prev ? skip_blank(prev) : "";
	}
	room = limit > cur.size + strlen(PREVIOUS_HEAD) + strlen(PREVIOUS_TAIL)
		       ? limit - cur.size - strlen(PREVIOUS_HEAD) - strlen(PREVIOUS_TAIL)
		       : 0;
	if (*prev && room >= MIN_PREVIOUS_ROOM) {
		platci_buf old_part = PLATCI_BUF_INIT;
		platci_buf_puts(&old_part, prev);
		if (old_part.size > room) {
			platci_gitlab__cut(&old_part, room - 32);
			platci_buf_puts(&old_part, "\n\n_(cut)_");
		}
		platci_buf_puts(out, PREVIOUS_HEAD);
		platci_buf_put(out, old_part.ptr, old_part.size);
		platci_buf_puts(out, PREVIOUS_TAIL);
		error = old_part.error;
		platci_buf_dispose(&old_part);
	}
	if (!error)
		error = out->error;
done:
	platci_buf_dispose(&cur);
	platci_buf_dispose(&was);
	platci_buf_dispose(&ptr);
	return error;
}

/* The first user note carrying @p marker; counts the others. Borrowed from @p notes. */
static json_t *find_note(json_t *notes, const char *marker, size_t *others)
{
	json_t *found = NULL, *n;
	size_t i;

	*others = 0;
	json_array_foreach (notes, i, n) {
		const char *body = platci_json_str(n, "body");
		if (json_is_true(json_object_get(n, "system")) || !body ||
			!json_is_integer(json_object_get(n, "id")) ||
			!platci_gitlab__note_has_marker(body, marker))
			continue;
		if (found)
			(*others)++;
		else
			found = n;
	}
	return found;
}

typedef struct note_ctx {
	unsigned long mr_iid;
	const char *marker, *text;
} note_ctx;

static int note_post(json_t **created, platci_gitlab *gl, void *payload)
{
	const note_ctx *n = payload;
	return platci_gitlab_note_create(created, gl, n->mr_iid, n->text, NULL);
}

/* The note with the marker, if it is there after all. */
static int note_find(json_t **found, platci_gitlab *gl, void *payload)
{
	const note_ctx *n = payload;
	json_t *notes = NULL, *note;
	size_t others;
	int error;

	*found = NULL;
	if ((error = platci_gitlab_notes_list(&notes, gl, n->mr_iid, NULL)) < 0)
		return error;
	if ((note = find_note(notes, n->marker, &others)) != NULL)
		*found = json_incref(note);
	json_decref(notes);
	return 0;
}

int platci_gitlab_sticky_note(platci_gitlab *gl, unsigned long mr_iid, const char *marker,
	const char *body, platci_gitlab_note_result *result, platci_diag *diag)
{
	platci_gitlab_note_result r = { PLATCI_GITLAB_NOOP, 0, 0, 0 };
	platci_buf text = PLATCI_BUF_INIT;
	json_t *notes = NULL, *created = NULL, *note;
	note_ctx ctx;
	int error = 0, changed, truncated;

	PLATCI_ASSERT_ARG(gl && body);
	if (!mr_iid || !platci_gitlab__marker_valid(marker)) {
		error = platci_gitlab__fail(gl, PLATCI_EINVALID,
			"a sticky note needs a merge request and a marker like <!-- platci:stage:env -->");
		goto done;
	}
	if ((error = platci_gitlab_notes_list(&notes, gl, mr_iid, NULL)) < 0)
		goto done;
	note = find_note(notes, marker, &r.duplicates);
	if ((error = platci_gitlab__note_compose(&text, &changed, &truncated, marker, body,
		     note ? platci_json_str(note, "body") : NULL, gl->opts.note_limit,
		     gl->artifacts_url)) < 0)
		goto done;
	r.truncated = truncated;
	if (note) {
		r.note_id = (long long)json_integer_value(json_object_get(note, "id"));
		if (!changed) {
			r.action = PLATCI_GITLAB_UNCHANGED;
		} else {
			if ((error = platci_gitlab_note_update(NULL, gl, mr_iid, r.note_id,
				     text.ptr, NULL)) < 0)
				goto done;
			r.action = PLATCI_GITLAB_UPDATED;
		}
	} else {
		ctx.mr_iid = mr_iid;
		ctx.marker = marker;
		ctx.text = text.ptr;
		if ((error = platci_gitlab__create_once(&created, gl, note_post, note_find, &ctx)) < 0)
			goto done;
		r.action = PLATCI_GITLAB_CREATED;
		r.note_id = (long long)json_integer_value(json_object_get(created, "id"));
	}
	platci_gitlab__log(gl, PLATCI_GITLAB_LOG_INFO, "MR !%lu note %lld %s%s%s", mr_iid, r.note_id,
		r.action == PLATCI_GITLAB_CREATED   ? "created"
		: r.action == PLATCI_GITLAB_UPDATED ? "updated"
						    : "unchanged",
		r.truncated ? " (cut at the note limit)" : "",
		r.duplicates ? " (other notes carry the same marker; left alone)" : "");
done:
	if (result)
		*result = r;
	json_decref(notes);
	json_decref(created);
	platci_buf_dispose(&text);
	return platci_gitlab__report(gl, diag, error);
}
