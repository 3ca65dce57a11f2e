/*
 * The floor for promotion: parse every YAML file below a folder once with
 * the document model, nothing else. bench/promote.sh prints platci-promote's
 * time next to this.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <platci.h>

static size_t walk(const char *dir, size_t *nodes)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t files = 0;
	char path[4096];

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += walk(path, nodes);
		} else if (n > 5 && strcmp(de->d_name + n - 5, ".yaml") == 0) {
			platci_doc *doc = NULL;
			if (platci_doc_load_file(&doc, path, NULL, NULL) == 0) {
				*nodes += platci_doc_node_total(doc);
				files++;
			}
			platci_doc_free(doc);
		}
	}
	closedir(d);
	return files;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	size_t files = 0, nodes = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR...\n", argv[0]);
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 1; i < argc; i++)
		files += walk(argv[i], &nodes);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.3f %zu %zu\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		files, nodes);
	return 0;
}
