# Sourced by tests/platform tests that run gitlab-ci-local (POSIX sh, after
# common.sh and make_tmp). Sets GCL; ci_repo DIR makes a git repository with
# .gitlab-ci.yml, pipelines/ and templates/ of this tree, committed on main,
# with origin gitlab.example.com/platform/platci so that
# `component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA`
# resolves to its own templates/ (gitlab-ci-local's rule for local components).

GCL=$PLATCI_SOURCE_DIR/node_modules/.bin/gitlab-ci-local
need_gcl() {
	command -v node >/dev/null 2>&1 || skip "node not installed"
	[ -x "$GCL" ] || skip "gitlab-ci-local not installed (node_modules/.bin/gitlab-ci-local)"
	command -v rsync >/dev/null 2>&1 || skip "rsync not installed (gitlab-ci-local needs it)"
	command -v git >/dev/null 2>&1 || skip "git not installed"
	HOME=$TMPD/home
	export HOME
	mkdir -p "$HOME"
	GCL_IGNORE_PREDEFINED_VARS=CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_DEFAULT_BRANCH,CI_COMMIT_REF_NAME,CI_MERGE_REQUEST_IID,CI_COMMIT_TAG
	export GCL_IGNORE_PREDEFINED_VARS
}

# g DIR ARGS...: git in DIR with a fixed identity
g() {
	gdir=$1
	shift
	git -C "$gdir" -c user.name=test -c user.email=test@example.com "$@"
}

# ci_init DIR PROJECT: git init DIR, commit everything, origin and origin/main set
ci_init() {
	g "$1" init -q -b main || fail "git init"
	g "$1" remote add origin "https://gitlab.example.com/$2.git"
	{ g "$1" add -A && g "$1" commit -q -m base; } || fail "git commit"
	g "$1" update-ref refs/remotes/origin/main HEAD
	g "$1" symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
}

# ci_repo DIR: this repository's CI files in a fresh repository
ci_repo() {
	mkdir -p "$1"
	cp .gitlab-ci.yml "$1/" && cp -R pipelines templates "$1/" || fail "copy failed"
}

# gcl_list DIR NAME ARGS...: "name;stage;when" of every job gitlab-ci-local
# would run, sorted, into $TMPD/NAME.got
gcl_list() {
	gdir=$1
	name=$2
	shift 2
	(cd "$gdir" && "$GCL" --list-csv --no-color "$@") >"$TMPD/$name.raw" 2>&1 ||
		{ cat "$TMPD/$name.raw" >&2; fail "gitlab-ci-local --list-csv failed ($name)"; }
	sed -n '/^name;stage;when;/,$p' "$TMPD/$name.raw" | sed 1d |
		cut -d';' -f1-3 | sort >"$TMPD/$name.got"
}

# gcl_expect NAME < want: compares $TMPD/NAME.got with stdin
gcl_expect() {
	sort >"$TMPD/$1.want"
	if ! cmp -s "$TMPD/$1.want" "$TMPD/$1.got"; then
		echo "--- expected jobs ($1)" >&2
		cat "$TMPD/$1.want" >&2
		echo "--- gitlab-ci-local listed" >&2
		cat "$TMPD/$1.got" >&2
		fail "wrong job list for the $1 pipeline"
	fi
}

gcl_mr() {
	gcl_list "$1" "$2" --variable CI_PIPELINE_SOURCE=merge_request_event \
		--variable CI_MERGE_REQUEST_IID=42 --variable "CI_MERGE_REQUEST_TITLE=test" \
		--variable CI_COMMIT_REF_NAME=feature --unset-variable CI_COMMIT_BRANCH
}
gcl_default() {
	gcl_list "$1" "$2" --variable CI_PIPELINE_SOURCE=push \
		--variable CI_COMMIT_BRANCH=main --variable CI_DEFAULT_BRANCH=main
}
gcl_schedule() {
	gcl_list "$1" "$2" --variable CI_PIPELINE_SOURCE=schedule \
		--variable CI_COMMIT_BRANCH=main --variable CI_DEFAULT_BRANCH=main
}
