/*
 * An environment's Terraform as frames: the root folder (its .tf files,
 * terraform.tfvars and *.auto.tfvars), then each local module it calls
 * (`source = "./..."` or `"../..."`), each call a frame of its own so
 * `var.` resolves to that call's arguments. Registry and git modules are
 * not read (their pools are not known, and the facts say nothing of them).
 */
#include <string.h>

#include "platci/fs.h"
#include "platci/path.h"
#include "nodepools_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

#define MAX_FRAMES 64
#define MAX_TF_FILE (4u << 20)

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

typedef struct tf_names {
	int root; /* the root folder: the tfvars files count too */
	char **names;
	size_t count, alloc;
} tf_names;

/* What terraform loads from a folder: *.tf, and at the root terraform.tfvars and *.auto.tfvars. */
static int tf_name(const char *rel, const char *full, const struct stat *st, void *payload)
{
	tf_names *l = payload;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	int tfvars =
		l->root && (has_suffix(name, ".auto.tfvars") ||
				   (!strncmp(name, "terraform", 9) && !strcmp(name + 9, ".tfvars")));

	(void)full;
	if (!st)
		return PLATCI_ENOTFOUND; /* the folder cannot be listed */
	if (!has_suffix(name, ".tf") && !tfvars)
		return 0;
	return platci__strs_push(&l->names, &l->count, &l->alloc, rel);
}

/* The .tf files (and at the root the tfvars) of @p fr's folder, scanned, in name order. */
static int read_files(tf_frame *fr, const char *repo_root, int root)
{
	tf_names l = { root, NULL, 0, 0 };
	platci_buf disk = PLATCI_BUF_INIT;
	int error;

	if (platci_path_on_disk(&disk, repo_root, fr->dir) < 0) {
		platci_buf_dispose(&disk);
		return PLATCI_ENOTFOUND; /* a folder outside the repository is not there */
	}
	error = platci__walk(repo_root, fr->dir, 0, PLATCI__WALK_UNLISTED, tf_name, &l);

	for (size_t i = 0; i < l.count && !error; i++) {
		tf_file *f;
		if (platci__grow_array((void **)&fr->files, &fr->afiles, fr->nfiles + 1, sizeof(*f)) < 0) {
			error = PLATCI_ENOMEM;
			break;
		}
		f = &fr->files[fr->nfiles];
		memset(f, 0, sizeof(*f));
		f->is_tfvars = !has_suffix(l.names[i], ".tf");
		if ((error = platci_path_on_disk(&disk, repo_root, l.names[i])) < 0)
			break;
		f->path = l.names[i];
		l.names[i] = NULL;
		if (platci_fs_read(&f->src, disk.ptr, MAX_TF_FILE, NULL) == 0 &&
			platci__hcl_scan(&f->f, f->src.ptr, f->src.size, f->path, NULL) == 0) {
			fr->nfiles++;
		} else { /* validate's tf.facts-unreadable names the file; its facts are left out */
			platci_buf_dispose(&f->src);
			free(f->path);
		}
	}
	for (size_t i = 0; i < l.count; i++)
		free(l.names[i]);
	free(l.names);
	platci_buf_dispose(&disk);
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
			platci_buf norm = PLATCI_BUF_INIT;
			int r;
			if (h->blocks[b].parent != HCL_TOP || strcmp(h->blocks[b].type, "module") != 0 ||
				!(src = platci__hcl_attr(h, b, "source", NULL)) ||
				(strncmp(src, "./", 2) != 0 && strncmp(src, "../", 3) != 0))
				continue;
			/* a source that climbs out of the repository is not read */
			if ((r = platci_path_join(&norm, t->frames[f].dir, src)) == PLATCI_ENOMEM)
				error = r;
			else if (r == 0 && !in_chain(t, f, norm.ptr))
				error = add_frame(t, norm.ptr, f, i, b);
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
