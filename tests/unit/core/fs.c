#include <unistd.h>
#include <sys/stat.h>
#include <dirent.h>
#include "test_helpers.h"

Test(fs, atomic_write_replaces_and_leaves_no_temp)
{
	char *dir = th_tmpdir();
	char path[512];
	char *got;
	DIR *d;
	struct dirent *de;
	int entries = 0;

	snprintf(path, sizeof(path), "%s/out.json", dir);
	cr_assert_eq(platci_fs_write_atomic(path, "old", 3, NULL), 0);
	cr_assert_eq(platci_fs_write_atomic(path, "new!", 4, NULL), 0);
	got = th_read(path, NULL);
	cr_assert_str_eq(got, "new!");
	free(got);
	d = opendir(dir);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			entries++;
	closedir(d);
	cr_assert_eq(entries, 1, "a temporary file was left behind");
	th_rmrf(dir);
	free(dir);
}

Test(fs, write_into_missing_dir_fails_cleanly)
{
	platci_diag *diag = NULL;
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_fs_write_atomic("/nonexistent-dir/x", "a", 1, diag), PLATCI_EIO);
	cr_assert_eq(platci_diag_count(diag), 1);
	platci_diag_free(diag);
}

Test(fs, read_caps_and_classifies)
{
	char *dir = th_tmpdir();
	char *p = th_write(dir, "f", "0123456789", 10);
	platci_buf b = PLATCI_BUF_INIT;

	cr_assert_eq(platci_fs_read(&b, p, 5, NULL), PLATCI_ELIMIT);
	platci_buf_clear(&b);
	cr_assert_eq(platci_fs_read(&b, p, 0, NULL), 0);
	cr_assert_str_eq(b.ptr, "0123456789");
	platci_buf_clear(&b);
	cr_assert_eq(platci_fs_read(&b, dir, 0, NULL), PLATCI_EIO);
	cr_assert_eq(platci_fs_read(&b, "/nonexistent/x", 0, NULL), PLATCI_ENOTFOUND);
	if (geteuid() != 0) {
		chmod(p, 0);
		cr_assert_eq(platci_fs_read(&b, p, 0, NULL), PLATCI_EIO);
	}
	platci_buf_dispose(&b);
	cr_assert_eq(platci_fs_mkdirs(dir, NULL), 0);
	th_rmrf(dir);
	free(dir);
	free(p);
}

Test(sha256, known_vectors)
{
	char hex[PLATCI_SHA256_HEX_SIZE];
	cr_assert_eq(platci_sha256_hex(hex, "abc", 3), 0);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cr_assert_eq(platci_sha256_hex(hex, "", 0), 0);
	cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* The raw digest is the hex one's bytes, and the context starts again after either. */
Test(sha256, raw_digest_and_reset)
{
	static const unsigned char abc[PLATCI_SHA256_SIZE] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01,
		0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3,
		0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
	unsigned char md[PLATCI_SHA256_SIZE];
	char hex[PLATCI_SHA256_HEX_SIZE];
	platci_sha256 *h = NULL;

	cr_assert_eq(platci_sha256_new(&h), 0);
	cr_assert_eq(platci_sha256_update(h, "ab", 2), 0);
	cr_assert_eq(platci_sha256_update(h, "c", 1), 0);
	cr_assert_eq(platci_sha256_final(md, h), 0);
	cr_assert_arr_eq(md, abc, sizeof(abc));
	cr_assert_eq(platci_sha256_reset(h), 0);
	cr_assert_eq(platci_sha256_update(h, "abc", 3), 0);
	cr_assert_eq(platci_sha256_final_hex(hex, h), 0);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	platci_sha256_free(h);
}

Test(sha256, file_matches_buffer)
{
	char *dir = th_tmpdir();
	char *p = th_write(dir, "f", "abc", 3);
	char hex[PLATCI_SHA256_HEX_SIZE];
	cr_assert_eq(platci_sha256_file_hex(hex, p, NULL), 0);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cr_assert_eq(platci_sha256_file_hex(hex, "/nonexistent", NULL), PLATCI_ENOTFOUND);
	th_rmrf(dir);
	free(dir);
	free(p);
}

/* The public walker is the library's one (util/walk.h): name order, depth, SKIP, errors. */
static int fs_walk_record(const char *rel, const char *full, const struct stat *st, void *payload)
{
	char *text = payload;
	size_t n = strlen(text);

	cr_assert(strstr(full, rel) != NULL);
	snprintf(text + n, 512 - n, "%s%s%s", n ? " " : "", rel,
		!st                    ? "!"
		: S_ISDIR(st->st_mode) ? "/"
				       : "");
	return strcmp(rel, "skip") == 0 ? PLATCI_FS_WALK_SKIP : 0;
}

Test(fs, walk)
{
	char *dir = th_tmpdir(), text[512] = "", missing[600];

	free(th_write(dir, "b.yaml", "", 0));
	free(th_write(dir, "a/x.yaml", "", 0));
	free(th_write(dir, "skip/y.yaml", "", 0));
	free(th_write(dir, ".h", "", 0));
	cr_assert_eq(platci_fs_walk(dir, 8, 0, fs_walk_record, text), 0);
	cr_assert_str_eq(text, "a/ a/x.yaml b.yaml skip/");
	text[0] = '\0';
	cr_assert_eq(platci_fs_walk(dir, 0, PLATCI_FS_WALK_HIDDEN, fs_walk_record, text), 0);
	cr_assert_str_eq(text, ".h a/ b.yaml skip/");
	text[0] = '\0';
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	cr_assert_eq(platci_fs_walk(missing, 8, PLATCI_FS_WALK_UNLISTED, fs_walk_record, text), 0);
	cr_assert_str_eq(text, ".!");
	cr_assert_eq(platci_fs_walk("", 8, 0, fs_walk_record, text), PLATCI_EINVALID);
	th_rmrf(dir);
	free(dir);
}
