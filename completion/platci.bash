# bash completion for platci and the platci-* runners.
#
# One source of truth: stage names come from `platci --help`, flags and
# subcommands from the runner's own --help, so a new flag completes as soon
# as the runner has it. --env/--from/--to complete the environment names of
# ./platci.yaml (or $PLATCI_CONFIG).
# Installed as bash-completion/completions/platci (and one per runner);
# or: source completion/platci.bash

_platci_stages() {
	"$1" --help 2>/dev/null | sed -n '/^Stages:/,/^$/s/^  \([a-z0-9][a-z0-9-]*\) .*/\1/p'
}

_platci_help() {
	# the runner's --help, run as typed: `platci STAGE --help` or `platci-STAGE --help`
	"$@" --help 2>/dev/null
}

_platci_envs() {
	local cfg=${PLATCI_CONFIG:-platci.yaml}
	[ -f "$cfg" ] || return 0
	sed -n -e 's/^[[:space:]]*-[[:space:]]*name:[[:space:]]*\([a-z0-9-]*\).*/\1/p' \
		-e 's/.*{[[:space:]]*name:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$cfg"
}

_platci() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= first=1 help
	local -a cmd
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	if [ "${COMP_WORDS[0]##*/}" = platci ]; then
		if [ "$COMP_CWORD" -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(_platci_stages "${COMP_WORDS[0]}") help --help --version" -- "$cur"))
			return 0
		fi
		if [ "${COMP_WORDS[1]}" = help ]; then
			[ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$(_platci_stages "${COMP_WORDS[0]}")" -- "$cur"))
			return 0
		fi
		cmd=("${COMP_WORDS[0]}" "${COMP_WORDS[1]}")
		first=2
	else
		cmd=("${COMP_WORDS[0]}")
	fi
	case $prev in
	--env | --from | --to)
		COMPREPLY=($(compgen -W "$(_platci_envs)" -- "$cur"))
		return 0
		;;
	--config | --reports | --plan | --plan-json | --facts | --cost | --reviewed | --ignore | --file | --terraform | \
		--flux | --out | --extract | --child-pipeline | --child-local | --policy)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	esac
	help=$(_platci_help "${cmd[@]}")
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
	elif [ "$COMP_CWORD" -eq "$first" ] && printf '%s\n' "$help" | grep -q '^Subcommands:'; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$help" |
			sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
	return 0
}

complete -F _platci platci platci-init platci-validate platci-plan platci-gate platci-scan \
	platci-drift platci-promote platci-note
