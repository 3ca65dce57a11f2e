/*
 * The foundation figure: platci's document model alone (platci_doc_load_file
 * on every .yaml/.yml under a folder, one thread), to compare with the bare
 * libyaml event loop in yaml_floor.
 *
 * usage: doc_load DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <platci.h>

static size_t files, docs, nodes, errors;

static void walk(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];

	if (!d || depth > 64) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t n = strlen(de->d_name);
		platci_doc *doc = NULL;
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, depth + 1);
			continue;
		}
		if (!((n > 5 && !strcmp(de->d_name + n - 5, ".yaml")) ||
			    (n > 4 && !strcmp(de->d_name + n - 4, ".yml"))))
			continue;
		files++;
		if (platci_doc_load_file(&doc, path, NULL, NULL) < 0) {
			errors++;
			continue;
		}
		docs += platci_doc_count(doc);
		nodes += platci_doc_node_count(doc);
		platci_doc_free(doc);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 64;
	}
	walk(argv[1], 0);
	printf("doc_load: %zu files, %zu documents, %zu nodes, %zu errors\n", files, docs, nodes, errors);
	return errors ? 1 : 0;
}
