/*
 * libcurl and libarchive are loaded with dlopen(3) when first used.
 *
 * Why: linked the usual way, the dynamic loader maps and relocates them
 * and their ~40 dependencies (GnuTLS, Kerberos, LDAP, ICU through
 * libxml2...) at the start of every runner, about 21 ms of CPU each time
 * on a CI runner, more than platci-plan then needs to summarise a plan of
 * 5,000 changes. Most runs never post to GitLab and never touch a bundle.
 *
 * The function tables are the one piece of process-wide state in the
 * library: they are filled once (pthread_once) and never change, like the
 * dynamic loader's own tables they replace. When a library cannot be
 * loaded, stubs that fail take its place, so a caller sees an error (a
 * NULL handle, CURLE_FAILED_INIT, ARCHIVE_FATAL), never a crash.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "lazy_archive.h"
#include "lazy_curl.h"
#include "banned.h"

/* The sonames of the ABIs this code was written against. */
#define CURL_SONAME "libcurl.so.4"
#define ARCHIVE_SONAME "libarchive.so.13"

/* POSIX allows a data pointer from dlsym() to become a function pointer; C does not say how. */
static int bind_symbol(void *lib, const char *name, void *fn_ptr, size_t size)
{
	void *sym = dlsym(lib, name);

	if (!sym || size != sizeof(sym))
		return -1;
	memcpy(fn_ptr, &sym, size);
	return 0;
}

/* ---- libcurl -------------------------------------------------------------------------------- */

static CURL *curl_stub_init(void)
{
	return NULL;
}
static CURLcode curl_stub_setopt(CURL *h, CURLoption o, ...)
{
	(void)h;
	(void)o;
	return CURLE_FAILED_INIT;
}
static CURLcode curl_stub_perform(CURL *h)
{
	(void)h;
	return CURLE_FAILED_INIT;
}
static CURLcode curl_stub_getinfo(CURL *h, CURLINFO i, ...)
{
	(void)h;
	(void)i;
	return CURLE_FAILED_INIT;
}
static void curl_stub_handle(CURL *h)
{
	(void)h;
}
static const char *curl_stub_strerror(CURLcode c)
{
	(void)c;
	return "libcurl (" CURL_SONAME ") could not be loaded";
}
static struct curl_slist *curl_stub_append(struct curl_slist *l, const char *s)
{
	(void)l;
	(void)s;
	return NULL;
}
static void curl_stub_free(struct curl_slist *l)
{
	(void)l;
}

static platci__curl_api curl_api;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void load_curl(void)
{
	static const platci__curl_api stubs = { curl_stub_init, curl_stub_setopt, curl_stub_perform,
		curl_stub_getinfo, curl_stub_handle, curl_stub_handle, curl_stub_strerror,
		curl_stub_append, curl_stub_free };
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	platci__curl_api api;

	if (!lib || bind_symbol(lib, "curl_easy_init", &api.easy_init, sizeof(api.easy_init)) ||
		bind_symbol(lib, "curl_easy_setopt", &api.easy_setopt, sizeof(api.easy_setopt)) ||
		bind_symbol(lib, "curl_easy_perform", &api.easy_perform, sizeof(api.easy_perform)) ||
		bind_symbol(lib, "curl_easy_getinfo", &api.easy_getinfo, sizeof(api.easy_getinfo)) ||
		bind_symbol(lib, "curl_easy_cleanup", &api.easy_cleanup, sizeof(api.easy_cleanup)) ||
		bind_symbol(lib, "curl_easy_reset", &api.easy_reset, sizeof(api.easy_reset)) ||
		bind_symbol(lib, "curl_easy_strerror", &api.easy_strerror, sizeof(api.easy_strerror)) ||
		bind_symbol(lib, "curl_slist_append", &api.slist_append, sizeof(api.slist_append)) ||
		bind_symbol(lib, "curl_slist_free_all", &api.slist_free_all, sizeof(api.slist_free_all))) {
		curl_api = stubs;
		return;
	}
	/* libcurl stays loaded for the life of the process, as a linked library would. */
	curl_api = api;
}

const platci__curl_api *platci__curl(void)
{
	pthread_once(&curl_once, load_curl);
	return &curl_api;
}

/* ---- libarchive ----------------------------------------------------------------------------- */

static struct archive *ar_stub_new(void)
{
	return NULL;
}
static int ar_stub_fatal(struct archive *a)
{
	(void)a;
	return ARCHIVE_FATAL;
}
static int ar_stub_open(struct archive *a, const char *p, size_t n)
{
	(void)a;
	(void)p;
	(void)n;
	return ARCHIVE_FATAL;
}
static int ar_stub_next(struct archive *a, struct archive_entry **e)
{
	(void)a;
	(void)e;
	return ARCHIVE_FATAL;
}
static la_ssize_t ar_stub_read(struct archive *a, void *b, size_t n)
{
	(void)a;
	(void)b;
	(void)n;
	return ARCHIVE_FATAL;
}
static int ar_stub_open_fd(struct archive *a, int fd)
{
	(void)a;
	(void)fd;
	return ARCHIVE_FATAL;
}
static int ar_stub_header(struct archive *a, struct archive_entry *e)
{
	(void)a;
	(void)e;
	return ARCHIVE_FATAL;
}
static la_ssize_t ar_stub_write(struct archive *a, const void *b, size_t n)
{
	(void)a;
	(void)b;
	(void)n;
	return ARCHIVE_FATAL;
}
static const char *ar_stub_error(struct archive *a)
{
	(void)a;
	return "libarchive (" ARCHIVE_SONAME ") could not be loaded";
}
static struct archive_entry *ar_stub_entry_new(void)
{
	return NULL;
}
static void ar_stub_entry_free(struct archive_entry *e)
{
	(void)e;
}
static const char *ar_stub_pathname(struct archive_entry *e)
{
	(void)e;
	return "";
}
static __LA_MODE_T ar_stub_filetype(struct archive_entry *e)
{
	(void)e;
	return 0;
}
static void ar_stub_set_pathname(struct archive_entry *e, const char *p)
{
	(void)e;
	(void)p;
}
static void ar_stub_set_size(struct archive_entry *e, la_int64_t n)
{
	(void)e;
	(void)n;
}
static void ar_stub_set_filetype(struct archive_entry *e, unsigned int t)
{
	(void)e;
	(void)t;
}
static void ar_stub_set_perm(struct archive_entry *e, __LA_MODE_T m)
{
	(void)e;
	(void)m;
}
static void ar_stub_set_mtime(struct archive_entry *e, time_t t, long ns)
{
	(void)e;
	(void)t;
	(void)ns;
}

static platci__archive_api archive_api;
static pthread_once_t archive_once = PTHREAD_ONCE_INIT;

static void load_archive(void)
{
	static const platci__archive_api stubs = { ar_stub_new, ar_stub_fatal, ar_stub_fatal,
		ar_stub_open, ar_stub_next, ar_stub_read, ar_stub_fatal, ar_stub_new, ar_stub_fatal,
		ar_stub_fatal, ar_stub_open_fd, ar_stub_header, ar_stub_write, ar_stub_fatal,
		ar_stub_fatal, ar_stub_error, ar_stub_entry_new, ar_stub_entry_free,
		ar_stub_pathname, ar_stub_filetype, ar_stub_set_pathname, ar_stub_set_size,
		ar_stub_set_filetype, ar_stub_set_perm, ar_stub_set_mtime };
	void *lib = dlopen(ARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	platci__archive_api api;

	if (!lib)
		goto stubs;
#define PLATCI__BIND(ret, name, args) \
	if (bind_symbol(lib, "archive_" #name, &api.name, sizeof(api.name)) < 0) \
		goto stubs;
	PLATCI__ARCHIVE_FUNCTIONS(PLATCI__BIND)
#undef PLATCI__BIND
	archive_api = api;
	return;
stubs:
	archive_api = stubs;
}

const platci__archive_api *platci__archive(void)
{
	pthread_once(&archive_once, load_archive);
	return &archive_api;
}
