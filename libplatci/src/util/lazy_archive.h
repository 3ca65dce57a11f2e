/*
 * libarchive, loaded when a run first reads or writes a bundle instead of
 * when every runner starts (see lazy.c). Include this instead of
 * <archive.h> and <archive_entry.h>: the calls keep their names.
 */
#ifndef PLATCI_UTIL_LAZY_ARCHIVE_H
#define PLATCI_UTIL_LAZY_ARCHIVE_H

#include <archive.h>
#include <archive_entry.h>

#define PLATCI__ARCHIVE_FUNCTIONS(X) \
	X(struct archive *, read_new, (void)) \
	X(int, read_support_filter_gzip, (struct archive *)) \
	X(int, read_support_format_tar, (struct archive *)) \
	X(int, read_open_filename, (struct archive *, const char *, size_t)) \
	X(int, read_next_header, (struct archive *, struct archive_entry **)) \
	X(la_ssize_t, read_data, (struct archive *, void *, size_t)) \
	X(int, read_free, (struct archive *)) \
	X(struct archive *, write_new, (void)) \
	X(int, write_add_filter_gzip, (struct archive *)) \
	X(int, write_set_format_pax_restricted, (struct archive *)) \
	X(int, write_open_fd, (struct archive *, int)) \
	X(int, write_header, (struct archive *, struct archive_entry *)) \
	X(la_ssize_t, write_data, (struct archive *, const void *, size_t)) \
	X(int, write_close, (struct archive *)) \
	X(int, write_free, (struct archive *)) \
	X(const char *, error_string, (struct archive *)) \
	X(struct archive_entry *, entry_new, (void)) \
	X(void, entry_free, (struct archive_entry *)) \
	X(const char *, entry_pathname, (struct archive_entry *)) \
	X(__LA_MODE_T, entry_filetype, (struct archive_entry *)) \
	X(void, entry_set_pathname, (struct archive_entry *, const char *)) \
	X(void, entry_set_size, (struct archive_entry *, la_int64_t)) \
	X(void, entry_set_filetype, (struct archive_entry *, unsigned int)) \
	X(void, entry_set_perm, (struct archive_entry *, __LA_MODE_T)) \
	X(void, entry_set_mtime, (struct archive_entry *, time_t, long))

typedef struct platci__archive_api {
#define PLATCI__ARCHIVE_FIELD(ret, name, args) ret(*name) args;
	PLATCI__ARCHIVE_FUNCTIONS(PLATCI__ARCHIVE_FIELD)
#undef PLATCI__ARCHIVE_FIELD
} platci__archive_api;

/* The functions; when libarchive cannot be loaded, stubs that fail (the _new ones give NULL). */
const platci__archive_api *platci__archive(void);

#define archive_read_new platci__archive()->read_new
#define archive_read_support_filter_gzip platci__archive()->read_support_filter_gzip
#define archive_read_support_format_tar platci__archive()->read_support_format_tar
#define archive_read_open_filename platci__archive()->read_open_filename
#define archive_read_next_header platci__archive()->read_next_header
#define archive_read_data platci__archive()->read_data
#define archive_read_free platci__archive()->read_free
#define archive_write_new platci__archive()->write_new
#define archive_write_add_filter_gzip platci__archive()->write_add_filter_gzip
#define archive_write_set_format_pax_restricted platci__archive()->write_set_format_pax_restricted
#define archive_write_open_fd platci__archive()->write_open_fd
#define archive_write_header platci__archive()->write_header
#define archive_write_data platci__archive()->write_data
#define archive_write_close platci__archive()->write_close
#define archive_write_free platci__archive()->write_free
#define archive_error_string platci__archive()->error_string
#define archive_entry_new platci__archive()->entry_new
#define archive_entry_free platci__archive()->entry_free
#define archive_entry_pathname platci__archive()->entry_pathname
#define archive_entry_filetype platci__archive()->entry_filetype
#define archive_entry_set_pathname platci__archive()->entry_set_pathname
#define archive_entry_set_size platci__archive()->entry_set_size
#define archive_entry_set_filetype platci__archive()->entry_set_filetype
#define archive_entry_set_perm platci__archive()->entry_set_perm
#define archive_entry_set_mtime platci__archive()->entry_set_mtime

#endif
