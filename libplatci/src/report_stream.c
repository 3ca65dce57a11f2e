/*
 * The four common reports, written as findings arrive (platci-scan with
 * hundreds of thousands of findings): Code Quality and findings.json go
 * straight to their files; JUnit cases go to an unlinked temporary file
 * and follow the head, whose totals are known only at the end; summary.md
 * keeps rows up to its budget and counts the rest. Nothing is renamed into
 * the reports folder before the commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platci/fs.h"
#include "platci/path.h"
#include "report_int.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/banned.h"

struct platci_report_stream {
	platci_report_options opts;
	char *strings[6]; /* the options' strings, copied */
	char *dir;
	platci_fs_file *cq, *fj;
	platci_jsonw cqw, fjw;
	int cases_fd; /* JUnit cases, unlinked temporary file */
	platci_buf cases; /* buffered for it */
	size_t ncases, nfailures, nskipped;
	uint64_t *names; /* (classname, name) pairs seen, hashed: GitLab drops repeats */
	size_t names_cap, names_n;
	platci_findings_counts counts;
	platci_buf deny_rows, other_rows; /* summary rows, each capped at the budget */
	size_t deny_dropped, other_dropped;
	platci_buf name, details;
	platci_sha256 *hash; /* kept for every finding's fingerprint */
	platci_report_stream_cb listener;
	void *listener_payload;
	int error;
};

static int fail(platci_report_stream *rs, int error)
{
	if (!rs->error)
		rs->error = error;
	return rs->error;
}

static char *copy_opt(platci_report_stream *rs, int i, const char *s)
{
	return s ? (rs->strings[i] = platci__strdup(s)) : NULL;
}

static int open_file(platci_report_stream *rs, const char *name, platci_fs_file **f,
	platci_jsonw *w, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_on_disk(&path, rs->dir, name)) == 0)
		error = platci_fs_atomic_open(f, path.ptr, diag);
	platci_buf_dispose(&path);
	if (!error)
		platci__jsonw_init(w, platci_fs_atomic_buf(*f), rs->opts.pretty);
	return error;
}

/* An unlinked file in the reports folder: it vanishes with the process, whatever happens. */
static int open_cases(platci_report_stream *rs, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_on_disk(&path, rs->dir, ".platci-junit-XXXXXX")) < 0) {
		platci_buf_dispose(&path);
		return error;
	}
	rs->cases_fd = mkstemp(path.ptr);
	if (rs->cases_fd < 0) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EIO, rs->dir, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "cannot create a temporary file: %s", strerror(errno));
		platci_buf_dispose(&path);
		return PLATCI_EIO;
	}
	unlink(path.ptr);
	platci_buf_dispose(&path);
	return 0;
}

int platci_report_stream_open(platci_report_stream **out, const char *dir,
	const platci_report_options *opts, platci_diag *diag)
{
	platci_report_stream *rs;
	int error = 0;

	PLATCI_ASSERT_ARG(out && dir);
	*out = NULL;
	if (opts && opts->version != PLATCI_REPORT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	PLATCI_CHECK_ALLOC(rs = calloc(1, sizeof(*rs)));
	rs->cases_fd = -1;
	if (opts)
		rs->opts = *opts;
	else
		platci_report_options_init(&rs->opts, PLATCI_REPORT_OPTIONS_VERSION);
	rs->opts.stage = copy_opt(rs, 0, rs->opts.stage);
	rs->opts.title = copy_opt(rs, 1, rs->opts.title);
	rs->opts.env = copy_opt(rs, 2, rs->opts.env);
	rs->opts.preamble_md = copy_opt(rs, 3, rs->opts.preamble_md);
	rs->opts.artifacts_url = copy_opt(rs, 4, rs->opts.artifacts_url);
	rs->opts.verdict = copy_opt(rs, 5, rs->opts.verdict);
	if (!(rs->dir = platci__strdup(dir))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((error = platci_sha256_new(&rs->hash)) < 0 || (error = platci_fs_mkdirs(dir, diag)) < 0 ||
		(error = open_file(rs, "gl-code-quality-report.json", &rs->cq, &rs->cqw, diag)) < 0 ||
		(error = open_file(rs, "findings.json", &rs->fj, &rs->fjw, diag)) < 0 ||
		(error = open_cases(rs, diag)) < 0)
		goto done;
	platci__jsonw_open(&rs->cqw, '[');
	platci_report__findings_head(&rs->fjw, &rs->opts);
	platci__jsonw_key(&rs->fjw, "findings");
	platci__jsonw_open(&rs->fjw, '[');
	*out = rs;
	rs = NULL;
done:
	platci_report_stream_free(rs);
	return error;
}

static uint64_t case_hash(const char *classname, const char *name)
{
	uint64_t h = platci__strhash_more(PLATCI__STRHASH_INIT, classname, strlen(classname));

	h = platci__strhash_more(h, "\xff", 1);
	return platci__strhash_more(h, name, strlen(name)) | 1; /* 0 marks a free slot */
}

/* 1 when the pair was seen (hashes alike count as seen: a repeat only gets a number). */
static int name_seen(platci_report_stream *rs, uint64_t h)
{
	size_t mask = rs->names_cap - 1;

	if (!rs->names_cap)
		return 0;
	for (size_t i = h & mask; rs->names[i]; i = (i + 1) & mask)
		if (rs->names[i] == h)
			return 1;
	return 0;
}

static int name_add(platci_report_stream *rs, uint64_t h)
{
	if ((rs->names_n + 1) * 2 > rs->names_cap) {
		size_t cap = rs->names_cap ? rs->names_cap * 2 : 256;
		uint64_t *t = calloc(cap, sizeof(*t));
		if (!t)
			return PLATCI_ENOMEM;
		for (size_t k = 0; k < rs->names_cap; k++) {
			size_t i;
			if (!rs->names[k])
				continue;
			for (i = rs->names[k] & (cap - 1); t[i]; i = (i + 1) & (cap - 1))
				;
			t[i] = rs->names[k];
		}
		free(rs->names);
		rs->names = t;
		rs->names_cap = cap;
	}
	{
		size_t mask = rs->names_cap - 1, i;
		for (i = h & mask; rs->names[i]; i = (i + 1) & mask)
			;
		rs->names[i] = h;
		rs->names_n++;
	}
	return 0;
}

static int flush_cases(platci_report_stream *rs, int all)
{
	const char *p = rs->cases.ptr;
	size_t n = rs->cases.size;

	if (rs->cases.error)
		return fail(rs, rs->cases.error);
	if (!all && n < 1024 * 1024)
		return 0;
	while (n) {
		ssize_t w = write(rs->cases_fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return fail(rs, PLATCI_EIO);
		p += w;
		n -= (size_t)w;
	}
	platci_buf_clear(&rs->cases);
	return 0;
}

int platci_report_stream_case(platci_report_stream *rs, const char *classname, const char *name,
	const char *failure, const char *details, const char *skipped)
{
	platci_buf unique = PLATCI_BUF_INIT;
	uint64_t h;
	int error;

	PLATCI_ASSERT_ARG(rs && classname && name);
	if (rs->error)
		return rs->error;
	h = case_hash(classname, name);
	for (unsigned n = 2; name_seen(rs, h); n++) {
		platci_buf_clear(&unique);
		if (platci_buf_printf(&unique, "%s #%u", name, n) < 0)
			break;
		h = case_hash(classname, unique.ptr);
	}
	if (unique.error || (error = name_add(rs, h)) < 0) {
		platci_buf_dispose(&unique);
		return fail(rs, PLATCI_ENOMEM);
	}
	platci_report__junit_case(&rs->cases, classname, unique.size ? unique.ptr : name, failure,
		details, skipped);
	platci_buf_dispose(&unique);
	rs->ncases++;
	rs->nfailures += failure != NULL;
	rs->nskipped += skipped != NULL;
	return flush_cases(rs, 0);
}

/* Keeps a summary row while its section is under the budget; counts it once a row did not fit. */
static void summary_row(platci_report_stream *rs, const platci_finding *f, int deny)
{
	platci_buf *rows = deny ? &rs->deny_rows : &rs->other_rows;
	size_t *dropped = deny ? &rs->deny_dropped : &rs->other_dropped, mark = rows->size;

	if (!*dropped) {
		platci_report__summary_row(rows, f);
		if (rows->size <= platci_report__summary_budget(&rs->opts))
			return;
		platci_buf_truncate(rows, mark);
	}
	(*dropped)++;
}

int platci_report_stream_add(platci_report_stream *rs, const platci_finding *f, int junit)
{
	platci_finding c;
	int deny, error;

	PLATCI_ASSERT_ARG(rs && f);
	if (!f->rule_id || !f->message)
		return PLATCI_EINVALID;
	if (rs->error)
		return rs->error;
	c = *f;
	if (!c.fingerprint[0] && (error = platci_findings__fingerprint(rs->hash, c.fingerprint, f)) < 0)
		return fail(rs, error);
	deny = !c.waiver && c.enforcement == PLATCI_ENFORCE_DENY;
	rs->counts.total++;
	if (c.waiver) {
		rs->counts.waived++;
	} else {
		if (deny)
			rs->counts.deny++;
		else
			rs->counts.warn++;
		if ((unsigned)c.severity < 5)
			rs->counts.by_severity[c.severity]++;
		platci_report__codequality_item(&rs->cqw, &c);
	}
	platci_report__finding_item(&rs->fjw, &c);
	summary_row(rs, &c, deny);
	if ((error = platci_fs_atomic_flush(rs->cq)) < 0 || (error = platci_fs_atomic_flush(rs->fj)) < 0)
		return fail(rs, error);
	if (rs->listener && (error = rs->listener(&c, rs->listener_payload)) < 0)
		return fail(rs, error);
	if (!junit)
		return 0;
	if ((error = platci_report__finding_case(&rs->name, &rs->details, &c)) < 0)
		return fail(rs, error);
	return platci_report_stream_case(rs,
		c.env            ? c.env
		: rs->opts.stage ? rs->opts.stage
				 : "platci",
		rs->name.ptr, deny ? c.message : NULL, rs->details.ptr, NULL);
}

void platci_report_stream_listen(platci_report_stream *rs, platci_report_stream_cb cb, void *payload)
{
	if (!rs)
		return;
	rs->listener = cb;
	rs->listener_payload = payload;
}

void platci_report_stream_counts(const platci_report_stream *rs, platci_findings_counts *out)
{
	if (rs)
		*out = rs->counts;
	else
		memset(out, 0, sizeof(*out));
}

/* Appends the kept rows while they fit under @p limit; counts those that do not. */
static void put_rows(platci_buf *out, const platci_buf *rows, size_t limit, size_t *left)
{
	const char *p = rows->ptr, *end = rows->ptr + rows->size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (out->size + n > limit) {
			for (; p < end; p++)
				*left += *p == '\n';
			return;
		}
		platci_buf_put(out, p, n);
		p += n;
	}
}

static int render_summary(platci_report_stream *rs, platci_buf *out, const char *preamble)
{
	const platci_report_options *o = &rs->opts;
	size_t max = platci_report__summary_budget(o), deny_left = rs->deny_dropped;
	size_t other_left = rs->other_dropped, limit;

	platci_report__summary_head(out, &rs->counts, o);
	if (preamble) {
		platci_buf_puts(out, preamble);
		platci_buf_puts(out, "\n\n");
	}
	if (!rs->counts.total) {
		platci_buf_puts(out, "No findings.\n");
		return out->error;
	}
	limit = max > 600 ? max - 600 : max;
	platci_buf_printf(out, "<details%s><summary>", rs->counts.deny ? " open" : "");
	platci_md_escape(out, o->env ? o->env : "all environments");
	platci_buf_printf(out, ": %zu deny, %zu other</summary>\n\n", rs->counts.deny,
		rs->counts.total - rs->counts.deny);
	platci_buf_puts(out, "| result | severity | rule | where | message |\n|---|---|---|---|---|\n");
	put_rows(out, &rs->deny_rows, limit, &deny_left);
	put_rows(out, &rs->other_rows, limit, &other_left);
	platci_buf_puts(out, "\n</details>\n\n");
	if (deny_left + other_left)
		platci_report__summary_more(out, deny_left + other_left, deny_left, o);
	platci_report__summary_cut(out, 0, max, o);
	return out->error;
}

/* junit.xml: the head (its totals known now), the first cases, then the streamed ones. */
static int write_junit(platci_report_stream *rs, const platci_junit *first, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	platci_fs_file *f = NULL;
	size_t failures = rs->nfailures, skipped = rs->nskipped, n = rs->ncases;
	char block[65536];
	int error;

	if (first)
		n += platci_report__junit_cases(first, &failures, &skipped);
	if ((error = flush_cases(rs, 1)) < 0)
		goto done;
	if (platci_buf_printf(&path, "%s/junit.xml", rs->dir) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((error = platci_fs_atomic_open(&f, path.ptr, diag)) < 0)
		goto done;
	platci_report__junit_head(platci_fs_atomic_buf(f), rs->opts.stage, n, failures, skipped);
	if (first)
		platci_report__junit_render_cases(platci_fs_atomic_buf(f), first);
	if (lseek(rs->cases_fd, 0, SEEK_SET) < 0) {
		error = PLATCI_EIO;
		goto done;
	}
	for (;;) {
		ssize_t got = read(rs->cases_fd, block, sizeof(block));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			error = PLATCI_EIO;
			goto done;
		}
		if (!got)
			break;
		if ((error = platci_fs_atomic_write(f, block, (size_t)got)) < 0)
			goto done;
	}
	platci_report__junit_tail(platci_fs_atomic_buf(f));
	error = platci_fs_atomic_commit(f, diag);
	f = NULL;
done:
	platci_fs_atomic_abort(f);
	platci_buf_dispose(&path);
	return error;
}

int platci_report_stream_commit(platci_report_stream *rs, const char *preamble_md,
	const platci_junit *first_cases, platci_diag *diag)
{
	platci_buf summary = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(rs);
	if ((error = rs->error) < 0)
		goto done;
	platci__jsonw_close(&rs->cqw, ']');
	platci__jsonw_end(&rs->cqw);
	platci__jsonw_close(&rs->fjw, ']');
	platci_report__findings_counts(&rs->fjw, &rs->counts);
	platci__jsonw_close(&rs->fjw, '}');
	platci__jsonw_end(&rs->fjw);
	if ((error = render_summary(rs, &summary, preamble_md ? preamble_md : rs->opts.preamble_md)) < 0 ||
		(error = write_junit(rs, first_cases, diag)) < 0)
		goto done;
	error = platci_fs_atomic_commit(rs->cq, diag);
	rs->cq = NULL;
	if (error < 0)
		goto done;
	error = platci_fs_atomic_commit(rs->fj, diag);
	rs->fj = NULL;
	if (error < 0)
		goto done;
	error = platci_report_write_file(rs->dir, "summary.md", summary.ptr, summary.size, diag);
done:
	if (error < 0)
		rs->error = error;
	platci_buf_dispose(&summary);
	return error;
}

void platci_report_stream_free(platci_report_stream *rs)
{
	if (!rs)
		return;
	platci_fs_atomic_abort(rs->cq);
	platci_fs_atomic_abort(rs->fj);
	if (rs->cases_fd >= 0)
		close(rs->cases_fd);
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(rs->strings); i++)
		free(rs->strings[i]);
	free(rs->dir);
	free(rs->names);
	platci_sha256_free(rs->hash);
	platci_buf_dispose(&rs->cases);
	platci_buf_dispose(&rs->deny_rows);
	platci_buf_dispose(&rs->other_rows);
	platci_buf_dispose(&rs->name);
	platci_buf_dispose(&rs->details);
	free(rs);
}
