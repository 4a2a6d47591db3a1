{{/* The labels of a component: fnmesh.labels (dict "component" C "trigger" T) */}}
{{- define "fnmesh.labels" -}}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/name: fnmesh
{{- if .trigger }}
fnmesh.dev/trigger: {{ .trigger }}
{{- end }}
{{- end }}

{{/* The arguments naming the mesh file, and where its relative paths resolve. */}}
{{- define "fnmesh.meshArgs" -}}
- --config
- /etc/fnmesh/mesh/mesh.yaml
{{- if .Values.meshDir }}
- --mesh-dir
- {{ .Values.meshDir }}
{{- end }}
{{- end }}

{{/*
The pod every fnmesh Deployment runs: not root, a read-only root file system, no capability, probes on
/readyz and /livez, secrets only as files mounted from Secrets; told where the image functions run, unless it
only plans the mesh (the controller).
fnmesh.pod (dict "root" $ "labels" L "args" A "port" P "planOnly" B)
*/}}
{{- define "fnmesh.pod" -}}
{{- $v := .root.Values -}}
metadata:
  labels:
    {{- .labels | nindent 4 }}
  annotations:
    fnmesh.dev/mesh-sha256: {{ $v.mesh | sha256sum | quote }}
spec:
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: 60
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: fnmesh
    image: {{ $v.image }}
    args:
      {{- .args | nindent 6 }}
    env:
    - name: FNMESH_KAFKA
      value: {{ $v.kafka.bootstrap | quote }}
    - name: FNMESH_HTTP_HOST
      value: 0.0.0.0
    - name: FNMESH_DATA_DIR
      value: /var/lib/fnmesh
    - name: FNMESH_CLUSTER_KEY_FILE
      value: /var/run/secrets/fnmesh/cluster-key/cluster.key
    {{- if $v.insecure }}
    - name: FNMESH_INSECURE
      value: "true"
    {{- else }}
    - name: FNMESH_ACCESS
      value: /var/run/secrets/fnmesh/access/access.yaml
    {{- end }}
    {{- if $v.kafka.configSecret }}
    - name: FNMESH_KAFKA_CONFIG
      value: /var/run/secrets/fnmesh/kafka/client.properties
    {{- end }}
    {{- if and $v.functionUrls (not .planOnly) }}
    - name: FNMESH_FUNCTION_URL
      value: {{ $v.functionUrls | quote }}
    {{- end }}
    ports:
    - name: http
      containerPort: {{ .port }}
      protocol: TCP
    startupProbe:
      httpGet: { path: /livez, port: {{ .port }} }
      periodSeconds: 2
      failureThreshold: 60
    readinessProbe:
      httpGet: { path: /readyz, port: {{ .port }} }
      periodSeconds: 2
      failureThreshold: 2
    livenessProbe:
      httpGet: { path: /livez, port: {{ .port }} }
      periodSeconds: 10
      failureThreshold: 3
    resources:
      {{- toYaml $v.resources | nindent 6 }}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      capabilities:
        drop: [ALL]
    volumeMounts:
    - { name: mesh, mountPath: /etc/fnmesh/mesh, readOnly: true }
    - { name: data, mountPath: /var/lib/fnmesh, readOnly: false }
    - { name: tmp, mountPath: /tmp, readOnly: false }
    - { name: cluster-key, mountPath: /var/run/secrets/fnmesh/cluster-key, readOnly: true }
    {{- if not $v.insecure }}
    - { name: access, mountPath: /var/run/secrets/fnmesh/access, readOnly: true }
    {{- end }}
    {{- if $v.kafka.configSecret }}
    - { name: kafka-config, mountPath: /var/run/secrets/fnmesh/kafka, readOnly: true }
    {{- end }}
  volumes:
  - { name: mesh, configMap: { name: fnmesh-mesh } }
  - { name: data, emptyDir: {} }
  - { name: tmp, emptyDir: {} }
  # defaultMode 288 is 0440; optional: false is the default, said out loud for podman's kube play.
  - { name: cluster-key, secret: { secretName: {{ $v.clusterKeySecret }}, defaultMode: 288, optional: false } }
  {{- if not $v.insecure }}
  - { name: access, secret: { secretName: {{ $v.accessSecret }}, defaultMode: 288, optional: false } }
  {{- end }}
  {{- if $v.kafka.configSecret }}
  - { name: kafka-config, secret: { secretName: {{ $v.kafka.configSecret }}, defaultMode: 288, optional: false } }
  {{- end }}
{{- end }}

{{/* A Deployment: fnmesh.deployment (dict "root" $ "name" N "labels" L "replicas" R "args" A "port" P "recreate" B "planOnly" B) */}}
{{- define "fnmesh.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- .labels | nindent 4 }}
spec:
  replicas: {{ .replicas }}
  selector:
    matchLabels:
      {{- .labels | nindent 6 }}
  {{- if .recreate }}
  strategy:
    type: Recreate
  {{- end }}
  template:
    {{- include "fnmesh.pod" . | nindent 4 }}
{{- end }}

{{/* fnmesh.service (dict "root" $ "name" N "labels" L "port" P) */}}
{{- define "fnmesh.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- .labels | nindent 4 }}
spec:
  selector:
    {{- .labels | nindent 4 }}
  ports:
  - { name: http, port: {{ .port }}, targetPort: http, protocol: TCP }
{{- end }}

{{/* fnmesh.cpuAutoscaler (dict "root" $ "name" N "labels" L) */}}
{{- define "fnmesh.cpuAutoscaler" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- .labels | nindent 4 }}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: {{ .name }} }
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: { type: Utilization, averageUtilization: 70 }
{{- end }}

{{/* fnmesh.disruptionBudget (dict "root" $ "name" N "labels" L "keepOne" B) */}}
{{- define "fnmesh.disruptionBudget" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- .labels | nindent 4 }}
spec:
  {{- if .keepOne }}
  minAvailable: 1
  {{- else }}
  maxUnavailable: 1
  {{- end }}
  selector:
    matchLabels:
      {{- .labels | nindent 6 }}
{{- end }}
