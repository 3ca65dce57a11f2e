/* Flux revision strings: RFC-0005 `[pointer@]algo:digest`, legacy `branch/sha`, bare digests. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "platci/fluxstatus.h"
#include "util/common.h"
#include "util/banned.h"

static int all_hex(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The algorithm a bare checksum's length implies, as fluxcd/pkg infers it. */
static const char *algo_for_length(size_t n)
{
	if (n == 40)
		return "sha1";
	if (n == 64)
		return "sha256";
	if (n == 128)
		return "sha512";
	return NULL;
}

/* Parses `algo:hex` or a bare hex run into the digest fields; 0 when it is neither. */
static int parse_digest(platci_flux_revision *out, const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	if (colon) {
		size_t alen = (size_t)(colon - s);
		if (alen == 0 || colon + 1 == s + n)
			return -1;
		out->algo = s;
		out->algo_len = alen;
		out->digest = colon + 1;
		out->digest_len = n - alen - 1;
		return 1;
	}
	if (all_hex(s, n) && algo_for_length(n)) {
		const char *a = algo_for_length(n);
		out->algo = a;
		out->algo_len = strlen(a);
		out->digest = s;
		out->digest_len = n;
		return 1;
	}
	return 0;
}

int platci_flux_revision_parse(platci_flux_revision *out, const char *rev)
{
	const char *at, *slash;
	size_t n;
	int r;

	PLATCI_ASSERT_ARG(out);
	memset(out, 0, sizeof(*out));
	if (!rev || !*rev)
		return PLATCI_EINVALID;
	n = strlen(rev);
	/* The digest follows the last '@': the pointer itself may hold one. */
	if ((at = strrchr(rev, '@')) != NULL) {
		if (at + 1 == rev + n)
			return PLATCI_EINVALID;
		if (at > rev) {
			out->pointer = rev;
			out->pointer_len = (size_t)(at - rev);
		}
		r = parse_digest(out, at + 1, n - (size_t)(at - rev) - 1);
		if (r < 0)
			return PLATCI_EINVALID;
		if (r == 0) {
			/* `name@hex` without an algorithm: keep the hex as an opaque digest. */
			out->digest = at + 1;
			out->digest_len = n - (size_t)(at - rev) - 1;
		}
		return 0;
	}
	/* Legacy `<branch>/<sha>`; `HEAD/<sha>` means no pointer. */
	if ((slash = strrchr(rev, '/')) != NULL && all_hex(slash + 1, strlen(slash + 1)) &&
		strlen(slash + 1) >= 7) {
		size_t plen = (size_t)(slash - rev);
		out->legacy = 1;
		if (plen && !(plen == 4 && strncmp(rev, "HEAD", 4) == 0)) {
			out->pointer = rev;
			out->pointer_len = plen;
		}
		out->digest = slash + 1;
		out->digest_len = strlen(slash + 1);
		if (algo_for_length(out->digest_len)) {
			out->algo = algo_for_length(out->digest_len);
			out->algo_len = strlen(out->algo);
		}
		return 0;
	}
	r = parse_digest(out, rev, n);
	if (r < 0)
		return PLATCI_EINVALID;
	if (r == 0) {
		/* A chart version or a tag: a pointer with no checksum. */
		out->pointer = rev;
		out->pointer_len = n;
	}
	return 0;
}

static int span_eq(const char *a, size_t an, const char *b, size_t bn, int fold)
{
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (fold) {
			ca = tolower(ca);
			cb = tolower(cb);
		}
		if (ca != cb)
			return 0;
	}
	return 1;
}

int platci_flux_revision_same(const char *a, const char *b)
{
	platci_flux_revision ra, rb;

	if (platci_flux_revision_parse(&ra, a) < 0 || platci_flux_revision_parse(&rb, b) < 0)
		return 0;
	if (ra.digest && rb.digest)
		return span_eq(ra.digest, ra.digest_len, rb.digest, rb.digest_len, 1);
	if (ra.digest || rb.digest)
		return 0;
	return span_eq(ra.pointer, ra.pointer_len, rb.pointer, rb.pointer_len, 0);
}

int platci_flux_revision_matches(const char *rev, const char *sha)
{
	platci_flux_revision r;
	size_t n;

	if (!sha || platci_flux_revision_parse(&r, rev) < 0 || !r.digest)
		return 0;
	n = strlen(sha);
	if (n == r.digest_len)
		return span_eq(r.digest, r.digest_len, sha, n, 1);
	if (n >= 7 && n < r.digest_len && all_hex(sha, n))
		return span_eq(r.digest, n, sha, n, 1);
	return 0;
}

int platci_flux_revision_on_branch(const char *rev, const char *branch)
{
	platci_flux_revision r;
	const char *p;
	size_t n;

	if (!branch || platci_flux_revision_parse(&r, rev) < 0 || !r.pointer)
		return 0;
	p = r.pointer;
	n = r.pointer_len;
	if (n > 11 && strncmp(p, "refs/heads/", 11) == 0) {
		p += 11;
		n -= 11;
	}
	return span_eq(p, n, branch, strlen(branch), 0);
}

size_t platci_flux_revision_short(char *out, size_t size, const char *rev)
{
	platci_flux_revision r;
	int n;

	if (platci_flux_revision_parse(&r, rev) < 0 || !r.digest) {
		n = snprintf(out, size, "%s", rev ? rev : "");
		return n < 0 ? 0 : (size_t)n;
	}
	{
		int dlen = (int)(r.digest_len > 8 ? 8 : r.digest_len);
		int plen = (int)r.pointer_len, alen = (int)r.algo_len;
		const char *sep = r.legacy ? "/" : "@";
		if (r.legacy)
			n = snprintf(out, size, "%.*s%s%.*s", plen, r.pointer ? r.pointer : "",
				r.pointer ? sep : "", dlen, r.digest);
		else
			n = snprintf(out, size, "%.*s%s%.*s%s%.*s", plen,
				r.pointer ? r.pointer : "", r.pointer ? sep : "", alen,
				r.algo ? r.algo : "", r.algo ? ":" : "", dlen, r.digest);
	}
	return n < 0 ? 0 : (size_t)n;
}
