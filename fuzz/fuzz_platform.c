/*
 * Fuzzes the platform model: the input, written under the name its first byte
 * picks (findings.json, drift.json, ...) in a folder named after an environment,
 * read as a report folder and rendered. Whatever the bytes, the page holds
 * exactly one script (its own) and no element the input tried to open.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "findings.json", "drift.json", "promotion.json",
	"terraform-report.json", "decision.json", "gl-container-scanning-report.json", "render.json" };

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *s = hay; (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[64], sub[96], path[160];
	platci_platform *p = NULL;
	platci_buf html = PLATCI_BUF_INIT, json = PLATCI_BUF_INIT;
	FILE *f;

	if (!size)
		return 0;
	snprintf(dir, sizeof(dir), "/tmp/platci-fuzz-platform-%ld", (long)getpid());
	snprintf(sub, sizeof(sub), "%s/scan-prd-uaenorth", dir);
	snprintf(path, sizeof(path), "%s/%s", sub, names[data[0] % (sizeof(names) / sizeof(names[0]))]);
	mkdir(dir, 0700);
	mkdir(sub, 0700);
	if (!(f = fopen(path, "wb")))
		return 0;
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	if (platci_platform_new(&p, NULL) == 0) {
		platci_platform_add_reports(p, dir, NULL);
		if (platci_platform_finish(p) == 0 && platci_platform_render_html(&html, p) == 0 &&
			platci_platform_render_json(&json, p) == 0 &&
			(count(html.ptr, "<script") != 1 || count(html.ptr, "<img") ||
				count(html.ptr, "<svg") || count(html.ptr, "<iframe")))
			abort();
	}
	platci_buf_dispose(&html);
	platci_buf_dispose(&json);
	platci_platform_free(p);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
	return 0;
}
