#!/bin/sh
# Usage: scan-images.sh ENV OUTDIR
# Lists the images an environment's apps overlay deploys (kustomize build)
# and writes one Trivy JSON report per image into OUTDIR.
set -eu
env_name=$1
outdir=$2
mkdir -p "$outdir"

images=$(kubectl kustomize "gitops/apps/$env_name" |
	sed -n 's/^[[:space:]-]*image:[[:space:]]*//p' | tr -d '"' | sort -u)
if [ -z "$images" ]; then
	echo "scan-images: no images in gitops/apps/$env_name" >&2
	exit 0
fi

# Pull access to the platform registry through the job's OIDC identity.
az login --service-principal --username "$ARM_CLIENT_ID" \
	--tenant "$ARM_TENANT_ID" --federated-token "$ARM_OIDC_TOKEN" >/dev/null
TRIVY_USERNAME=00000000-0000-0000-0000-000000000000
TRIVY_PASSWORD=$(az acr login --name acrplatform --expose-token \
	--query accessToken --output tsv)
export TRIVY_USERNAME TRIVY_PASSWORD

for image in $images; do
	file=$(printf '%s' "$image" | tr '/:@' '___')
	echo "scan-images: $image"
	trivy image --quiet --scanners vuln --format json \
		--output "$outdir/$file.json" "$image"
done
