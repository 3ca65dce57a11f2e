/*
 * The floor for platci-validate: a bare libyaml event loop over every
 * .yaml/.yml file under a folder, doing nothing with the events. No
 * document model, no checks; reading and tokenising only.
 *
 * usage: yaml_floor DIR   (prints files, events and errors)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static size_t files, events, errors;

static void parse(const char *path)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0;

	if (!f) {
		errors++;
		return;
	}
	files++;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			errors++;
			break;
		}
		events++;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
}

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
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path, depth + 1);
		else if ((n > 5 && !strcmp(de->d_name + n - 5, ".yaml")) ||
			 (n > 4 && !strcmp(de->d_name + n - 4, ".yml")))
			parse(path);
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
	printf("yaml_floor: %zu files, %zu events, %zu errors\n", files, events, errors);
	return errors ? 1 : 0;
}
