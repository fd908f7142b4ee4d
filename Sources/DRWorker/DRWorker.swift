/// `dr worker`: every policy's schedules run unattended (backup, verify, prune, the daily
/// `check --env`), `/metrics` and `/healthz` over HTTP, webhooks on failure.
public enum DRWorker {}
