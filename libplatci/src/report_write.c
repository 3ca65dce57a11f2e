#include <string.h>

#include "platci/fs.h"
#include "platci/path.h"
#include "platci/report.h"
#include "report_int.h"
#include "util/common.h"
#include "util/banned.h"

int platci_report_write_file(const char *dir, const char *name, const char *data, size_t len,
	platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_fs_mkdirs(dir, diag)) < 0)
		return error;
	if ((error = platci_path_on_disk(&path, dir, name)) == 0)
		error = platci_fs_write_atomic(path.ptr, data, len, diag);
	platci_buf_dispose(&path);
	return error;
}

int platci_report_write_all(const char *dir, const platci_findings *list, const platci_junit *junit,
	const platci_report_options *opts, platci_diag *diag)
{
	platci_buf out = PLATCI_BUF_INIT;
	platci_junit *own = NULL;
	int error;

	if (!junit) {
		if ((error = platci_junit_new(&own)) < 0)
			goto done;
		if ((error = platci_junit_add_findings(own,
			     opts && opts->stage ? opts->stage : "platci", list, NULL)) < 0)
			goto done;
		junit = own;
	}
	/* junit.xml straight from the cases: a document of 40,000 is not copied into a buffer */
	if ((error = platci_fs_mkdirs(dir, diag)) < 0 ||
		(error = platci_buf_printf(&out, "%s/junit.xml", dir)) < 0 ||
		(error = platci_junit_write(out.ptr, junit,
			 opts && opts->stage ? opts->stage : NULL, diag)) < 0)
		goto done;
	platci_buf_clear(&out);
	if ((error = platci_report__codequality(&out, list, opts && opts->pretty)) < 0 ||
		(error = platci_report_write_file(dir, "gl-code-quality-report.json", out.ptr,
			 out.size, diag)) < 0)
		goto done;
	platci_buf_clear(&out);
	if ((error = platci_report_summary(&out, list, opts)) < 0 ||
		(error = platci_report_write_file(dir, "summary.md", out.ptr, out.size, diag)) < 0)
		goto done;
	platci_buf_clear(&out);
	if ((error = platci_report_findings_json(&out, list, opts)) < 0 ||
		(error = platci_report_write_file(dir, "findings.json", out.ptr, out.size, diag)) < 0)
		goto done;
done:
	platci_junit_free(own);
	platci_buf_dispose(&out);
	return error;
}
