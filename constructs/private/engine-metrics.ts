/**
 * Prometheus metric names the engines export and the autoscaler queries. Import-free.
 *
 * vLLM (releases in core/engines/vllm.ts): vllm/v1/metrics/loggers.py, PrometheusStatLogger
 * (`vllm:num_requests_waiting`, `vllm:num_requests_running`, `vllm:kv_cache_usage_perc`, labels
 * `model_name` and `engine`); the same names are the endpoint picker's vLLM defaults
 * (llm-d/llm-d-router v0.10.0 pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go).
 *
 * llama.cpp server (builds in core/engines/llama-cpp.ts, `--metrics`): `/metrics` of
 * tools/server (`llamacpp:requests_processing`, `llamacpp:requests_deferred`); it exports no
 * KV-cache gauge, and no model label (series are told apart by the scrape's pod label).
 */
export const VLLM_METRICS = {
  waiting: 'vllm:num_requests_waiting',
  running: 'vllm:num_requests_running',
  kvCacheUsage: 'vllm:kv_cache_usage_perc',
} as const;

export const LLAMA_CPP_METRICS = {
  deferred: 'llamacpp:requests_deferred',
  processing: 'llamacpp:requests_processing',
} as const;
