/*
 * An environment's Terraform as frames: the root folder (its .tf files,
 * terraform.tfvars and *.auto.tfvars), then each local module it calls
 * (`source = "./..."` or `"../..."`), each call a frame of its own so
 * `var.` resolves to that call's arguments. Registry and git modules are
 * not read (their pools are not known, and the facts say nothing of them).
 */
#include <dirent.h>
#include <string.h>

#include "platci/fs.h"
#include "platci/path.h"
#include "nodepools_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_FRAMES 64
#define MAX_TF_FILE (4u << 20)

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .tf files (and at the root the tfvars) of @p dir, scanned, in name order. */
static int read_files(tf_frame *fr, const char *repo_root, int root)
{
	platci_buf full = PLATCI_BUF_INIT;
	char *names[256];
	size_t n = 0;
	DIR *d;
	struct dirent *de;
	int error = 0;

	if (platci_path_on_disk(&full, repo_root, fr->dir) < 0 || !(d = opendir(full.ptr))) {
		platci_buf_dispose(&full);
		return PLATCI_ENOTFOUND;
	}
	while ((de = readdir(d)) != NULL && n < 256) {
		/* terraform.tfvars and *.auto.tfvars: what terraform loads without -var-file */
		int tfvars = root && (has_suffix(de->d_name, ".auto.tfvars") ||
					     (!strncmp(de->d_name, "terraform", 9) &&
						     !strcmp(de->d_name + 9, ".tfvars")));
		if (de->d_name[0] != '.' && (has_suffix(de->d_name, ".tf") || tfvars) &&
			!(names[n++] = platci__strdup(de->d_name)))
			error = PLATCI_ENOMEM;
	}
	closedir(d);
	qsort(names, n, sizeof(char *), name_cmp);
	for (size_t i = 0; i < n && !error; i++) {
		tf_file *f;
		platci_buf disk = PLATCI_BUF_INIT, rel = PLATCI_BUF_INIT;
		if (platci__grow_array((void **)&fr->files, &fr->afiles, fr->nfiles + 1, sizeof(*f)) < 0) {
			error = PLATCI_ENOMEM;
			break;
		}
		f = &fr->files[fr->nfiles];
		memset(f, 0, sizeof(*f));
		f->is_tfvars = !has_suffix(names[i], ".tf");
		platci_buf_printf(&disk, "%s/%s", full.ptr, names[i]);
		platci_buf_printf(&rel, "%s/%s", fr->dir, names[i]);
		if (disk.error || rel.error || !(f->path = platci_buf_detach(&rel))) {
			error = PLATCI_ENOMEM;
		} else if (platci_fs_read(&f->src, disk.ptr, MAX_TF_FILE, NULL) == 0 &&
			   platci__hcl_scan(&f->f, f->src.ptr, f->src.size, f->path, NULL) == 0) {
			fr->nfiles++;
		} else { /* validate's tf.facts-unreadable names the file; its facts are left out */
			platci_buf_dispose(&f->src);
			free(f->path);
		}
		platci_buf_dispose(&disk);
		platci_buf_dispose(&rel);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	platci_buf_dispose(&full);
	return error;
}

static int add_frame(tf_tree *t, const char *dir, size_t parent, size_t call_file, size_t call_block)
{
	tf_frame *fr;

	if (t->nframes >= MAX_FRAMES)
		return 0;
	if (platci__grow_array((void **)&t->frames, &t->aframes, t->nframes + 1, sizeof(*fr)) < 0)
		return PLATCI_ENOMEM;
	fr = &t->frames[t->nframes++];
	memset(fr, 0, sizeof(*fr));
	fr->parent = parent;
	fr->call_file = call_file;
	fr->call_block = call_block;
	return (fr->dir = platci__strdup(dir)) ? 0 : PLATCI_ENOMEM;
}

/* How many frames up the chain of @p f already read @p dir (a module calling itself). */
static int in_chain(const tf_tree *t, size_t f, const char *dir)
{
	for (; f != (size_t)-1; f = t->frames[f].parent)
		if (!strcmp(t->frames[f].dir, dir))
			return 1;
	return 0;
}

/* The local modules frame @p f calls, each as a new frame. */
static int add_calls(tf_tree *t, size_t f)
{
	int error = 0;

	for (size_t i = 0; i < t->frames[f].nfiles && !error; i++) {
		const hcl_file *h = &t->frames[f].files[i].f;
		for (size_t b = 0; b < h->nblocks && !error; b++) {
			const char *src;
			platci_buf dir = PLATCI_BUF_INIT, norm = PLATCI_BUF_INIT;
			if (h->blocks[b].parent != HCL_TOP || strcmp(h->blocks[b].type, "module") != 0 ||
				!(src = platci__hcl_attr(h, b, "source", NULL)) ||
				(strncmp(src, "./", 2) != 0 && strncmp(src, "../", 3) != 0))
				continue;
			platci_buf_printf(&dir, "%s/%s", t->frames[f].dir, src);
			if (dir.error)
				error = PLATCI_ENOMEM;
			else if (platci_path_normalize(&norm, dir.ptr) == 0 && !in_chain(t, f, norm.ptr))
				error = add_frame(t, norm.ptr, f, i, b);
			platci_buf_dispose(&dir);
			platci_buf_dispose(&norm);
		}
	}
	return error;
}

int platci_nodepools__tree_read(tf_tree *t, const char *repo_root, const char *root_dir)
{
	int error;

	memset(t, 0, sizeof(*t));
	platci_arena_init(&t->arena, 8192);
	if ((error = add_frame(t, root_dir, (size_t)-1, 0, 0)) < 0)
		return error;
	for (size_t f = 0; f < t->nframes; f++) {
		error = read_files(&t->frames[f], repo_root, f == 0);
		if (error == PLATCI_ENOTFOUND && f > 0)
			continue; /* a module folder that is not there: terraform init says so */
		if (error < 0 || (error = add_calls(t, f)) < 0)
			return error;
	}
	return 0;
}

void platci_nodepools__tree_dispose(tf_tree *t)
{
	for (size_t f = 0; f < t->nframes; f++) {
		tf_frame *fr = &t->frames[f];
		for (size_t i = 0; i < fr->nfiles; i++) {
			platci__hcl_dispose(&fr->files[i].f);
			platci_buf_dispose(&fr->files[i].src);
			free(fr->files[i].path);
		}
		free(fr->files);
		free(fr->dir);
	}
	free(t->frames);
	platci_arena_dispose(&t->arena);
	memset(t, 0, sizeof(*t));
}
