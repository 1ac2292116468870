{{/*
Shared helpers: names, labels, image, environment and pod-level settings used by
every workload the chart renders (web, workers, CronJobs, migration Job).
*/}}

{{- define "tandem.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, at most 40 characters so that every derived name
(for example "<fullname>-worker-<group>" or a CronJob's Job names) stays under
Kubernetes' length limits.
*/}}
{{- define "tandem.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tandem.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels. Call with (dict "root" $ "component" "web"). Immutable once deployed. */}}
{{- define "tandem.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tandem.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Common labels. Call with (dict "root" $ "component" "web"). */}}
{{- define "tandem.labels" -}}
helm.sh/chart: {{ include "tandem.chart" .root }}
{{ include "tandem.selectorLabels" . }}
app.kubernetes.io/part-of: tandem
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "tandem.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{- define "tandem.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tandem.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tandem.configMapName" -}}
{{- include "tandem.fullname" . }}-config
{{- end }}

{{/* The Secret every workload reads: the operator's existing one or the chart's own. */}}
{{- define "tandem.secretName" -}}
{{- if .Values.secret.existingSecret }}
{{- .Values.secret.existingSecret }}
{{- else }}
{{- include "tandem.fullname" . }}-secret
{{- end }}
{{- end }}

{{/*
Non-secret configuration as a flat map of environment variables (all strings).
Rendered into the ConfigMap and, for the pre-install migration hook, inline.
*/}}
{{- define "tandem.configData" -}}
{{- $c := .Values.config }}
{{- $baseUrl := $c.baseUrl }}
{{- if and (not $baseUrl) .Values.ingress.enabled .Values.ingress.hosts }}
{{- $host := (first .Values.ingress.hosts).host }}
{{- $baseUrl = printf "%s://%s" (ternary "https" "http" (gt (len .Values.ingress.tls) 0)) $host }}
{{- end }}
TANDEM_ENV: {{ $c.environment | quote }}
{{- if $baseUrl }}
TANDEM_BASE_URL: {{ $baseUrl | quote }}
{{- end }}
LOG_LEVEL: {{ $c.logLevel | quote }}
FORWARDED_ALLOW_IPS: {{ $c.forwardedAllowIps | quote }}
{{- if $c.smtp.host }}
SMTP_HOST: {{ $c.smtp.host | quote }}
SMTP_PORT: {{ $c.smtp.port | toString | quote }}
SMTP_STARTTLS: {{ ternary "true" "false" $c.smtp.starttls | quote }}
{{- if $c.smtp.username }}
SMTP_USERNAME: {{ $c.smtp.username | quote }}
{{- end }}
{{- end }}
{{- if $c.smtp.from }}
SMTP_FROM: {{ $c.smtp.from | quote }}
{{- end }}
{{- if $c.sentryEnvironment }}
SENTRY_ENVIRONMENT: {{ $c.sentryEnvironment | quote }}
{{- end }}
SENTRY_RELEASE: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
{{- range $k, $v := $c.extra }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}

{{/*
Secret data of the chart-managed Secret (plain strings; the caller b64-encodes).
Optional keys are left out when empty so that "optional: true" references skip them.
*/}}
{{- define "tandem.secretData" -}}
{{- $s := .Values.secret }}
SECRET_KEY: {{ $s.secretKey | quote }}
DATABASE_URL: {{ $s.databaseUrl | quote }}
REDIS_URL: {{ $s.redisUrl | quote }}
{{- if $s.migrationDatabaseUrl }}
MIGRATION_DATABASE_URL: {{ $s.migrationDatabaseUrl | quote }}
{{- end }}
{{- if $s.smtpPassword }}
SMTP_PASSWORD: {{ $s.smtpPassword | quote }}
{{- end }}
{{- if $s.sentryDsn }}
SENTRY_DSN: {{ $s.sentryDsn | quote }}
{{- end }}
{{- end }}

{{/*
Container env: the Secret's keys one by one (not envFrom, so that a key meant for
one workload, such as MIGRATION_DATABASE_URL, never reaches the others), then extraEnv.
Call with (dict "root" $ "secretName" NAME "databaseUrlKey" KEY); KEY defaults to DATABASE_URL.
*/}}
{{- define "tandem.env" -}}
- name: SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: SECRET_KEY
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .databaseUrlKey | default "DATABASE_URL" }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: REDIS_URL
- name: SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: SMTP_PASSWORD
      optional: true
- name: SENTRY_DSN
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: SENTRY_DSN
      optional: true
{{- with .root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* envFrom for long-running workloads and CronJobs: the chart ConfigMap plus extras. */}}
{{- define "tandem.envFrom" -}}
- configMapRef:
    name: {{ include "tandem.configMapName" . }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod annotations that roll pods when configuration changes. With an existing
Secret the chart cannot see its content: the name is hashed instead, and a
rotation needs "kubectl rollout restart" (see docs/deploy.md).
*/}}
{{- define "tandem.checksumAnnotations" -}}
checksum/config: {{ include "tandem.configData" . | sha256sum }}
{{- if .Values.secret.existingSecret }}
checksum/secret: {{ printf "existing:%s" .Values.secret.existingSecret | sha256sum }}
{{- else }}
checksum/secret: {{ include "tandem.secretData" . | sha256sum }}
{{- end }}
{{- end }}

{{/* Volumes every Tandem container needs with a read-only root filesystem. */}}
{{- define "tandem.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}

{{- define "tandem.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/*
Pod spec fields shared by every workload. Call with (dict "root" $ "serviceAccountName" NAME);
serviceAccountName defaults to the chart's ServiceAccount.
*/}}
{{- define "tandem.podCommon" -}}
{{- $root := .root }}
serviceAccountName: {{ .serviceAccountName | default (include "tandem.serviceAccountName" $root) }}
automountServiceAccountToken: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $root.Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}

{{/* Scheduling constraints: per-workload values win over the global ones. Call with (dict "root" $ "local" MAP). */}}
{{- define "tandem.scheduling" -}}
{{- $local := .local | default dict }}
{{- with (hasKey $local "nodeSelector" | ternary $local.nodeSelector .root.Values.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (hasKey $local "tolerations" | ternary $local.tolerations .root.Values.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (hasKey $local "affinity" | ternary $local.affinity .root.Values.affinity) }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Overlay a group's settings on defaults, one level deep, honouring false and 0
(sprig's merge treats those as "unset", which would make replicas: 0 or
enabled: false impossible). Nested maps listed in "nested" are overlaid key by key.
Call with (dict "defaults" MAP "group" MAP "nested" (list "autoscaling" "pdb")). Returns YAML.
*/}}
{{- define "tandem.overlay" -}}
{{- $out := deepCopy (.defaults | default dict) }}
{{- $group := .group | default dict }}
{{- range $k, $v := $group }}
{{- $_ := set $out $k $v }}
{{- end }}
{{- range $key := .nested }}
{{- $merged := deepCopy ((get $.defaults $key) | default dict) }}
{{- range $k, $v := ((get $group $key) | default dict) }}
{{- $_ := set $merged $k $v }}
{{- end }}
{{- $_ := set $out $key $merged }}
{{- end }}
{{- toYaml $out }}
{{- end }}
