/*
 * Fuzzes the plan bundle reader. The input is the tar itself (compressed
 * bytes would defeat the mutator): the harness wraps it in a gzip of stored
 * blocks, verifies it, extracts it to a scratch folder and reads its plan.
 * Whatever the members say, nothing may be written outside that folder.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static void le32(FILE *f, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		fputc((int)((v >> (8 * i)) & 0xff), f);
}

/* gzip (RFC 1952) holding deflate stored blocks (RFC 1951 3.2.4): no compressor needed. */
static int write_gzip(const char *path, const uint8_t *data, size_t size)
{
	static const uint8_t head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	FILE *f = fopen(path, "wb");
	size_t at = 0;

	if (!f)
		return -1;
	fwrite(head, 1, sizeof(head), f);
	do {
		size_t n = size - at > 65535 ? 65535 : size - at;
		fputc(at + n == size ? 1 : 0, f);
		fputc((int)(n & 0xff), f);
		fputc((int)(n >> 8), f);
		fputc((int)(~n & 0xff), f);
		fputc((int)((~n >> 8) & 0xff), f);
		fwrite(data + at, 1, n, f);
		at += n;
	} while (at < size);
	le32(f, crc32_of(data, size));
	le32(f, (uint32_t)size);
	return fclose(f);
}

static void clear_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (strcmp(e->d_name, "manifest.json") && strcmp(e->d_name, "tfplan") &&
			strcmp(e->d_name, "plan.json"))
			abort(); /* extraction wrote a name it must not */
		unlink(p);
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[96], dir[96];
	platci_bundle_verify_options o = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	platci_bundle *b = NULL;
	platci_tfplan *plan = NULL;

	snprintf(path, sizeof(path), "/tmp/platci-fuzz-bundle-%ld.tar.gz", (long)getpid());
	snprintf(dir, sizeof(dir), "/tmp/platci-fuzz-bundle-%ld.d", (long)getpid());
	if (write_gzip(path, data, size) < 0)
		return 0;
	mkdir(dir, 0700);
	o.env = "prd";
	o.now = 1767225600; /* 2026-01-01: a fixed clock */
	o.extract_dir = dir;
	if (platci_bundle_verify(&b, path, &o, NULL) == 0) {
		if (!platci_bundle_get_manifest(b))
			abort();
		platci_bundle_read_plan(&plan, b, path, NULL, NULL);
	}
	platci_tfplan_free(plan);
	platci_bundle_free(b);
	clear_dir(dir);
	rmdir(dir);
	unlink(path);
	return 0;
}
