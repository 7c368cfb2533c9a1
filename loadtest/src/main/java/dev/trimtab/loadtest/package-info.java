/**
 * The load tester's public API: build a {@link dev.trimtab.loadtest.LoadTestConfig}, call
 * {@link dev.trimtab.loadtest.LoadTest#run(LoadTestConfig)}, read the {@link dev.trimtab.loadtest.Report}.
 *
 * <p>It depends on nothing of Trimtab's but the OpenAI completions wire format: streaming {@code POST
 * /v1/completions} with {@code stream_options.include_usage}, plus an optional {@code "alignment"} body field.
 * Implementation lives beside it: {@code workload} (what to send), {@code http} (the Vert.x client and the SSE
 * parser), {@code run} (scheduling and recording), {@code report} (JSON, Markdown, charts), {@code cli}.
 */
package dev.trimtab.loadtest;
