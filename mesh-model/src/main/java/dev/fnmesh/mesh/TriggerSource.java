package dev.fnmesh.mesh;

/** Where a trigger's events come from: exactly one source key of the trigger in the mesh file. */
public sealed interface TriggerSource permits KafkaSource, WebhookSource, CronSource {
}
