# Sourced by the scan component (its before_scan input) in the job's shell:
# pull access to the platform registry for trivy through the job's OIDC
# identity. Exports TRIVY_USERNAME and TRIVY_PASSWORD; prints no secret.
az login --service-principal --username "$ARM_CLIENT_ID" \
	--tenant "$ARM_TENANT_ID" --federated-token "$ARM_OIDC_TOKEN" >/dev/null
TRIVY_USERNAME=00000000-0000-0000-0000-000000000000
TRIVY_PASSWORD=$(az acr login --name acrplatform --expose-token \
	--query accessToken --output tsv)
export TRIVY_USERNAME TRIVY_PASSWORD
