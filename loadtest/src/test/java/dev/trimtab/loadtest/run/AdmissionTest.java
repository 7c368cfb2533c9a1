package dev.trimtab.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.loadtest.RunLength;
import dev.trimtab.loadtest.run.Admission.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final long MS = 1_000_000;

    private static List<Verdict> admit(Admission admission, long... scheduledMs) {
        return LongStream.of(scheduledMs)
                .mapToObj(ms -> admission.admit(ms * MS))
                .toList();
    }

    @Test
    @DisplayName("The first warm-up requests are not measured, then a count of requests is, then it stops for good")
    void byCount() {
        Admission admission = new Admission(RunLength.requests(3).withWarmup(Duration.ZERO, 2), 0);
        assertThat(admit(admission, 0, 1, 2, 3, 4, 5, 6))
                .containsExactly(
                        Verdict.WARMUP,
                        Verdict.WARMUP,
                        Verdict.MEASURED,
                        Verdict.MEASURED,
                        Verdict.MEASURED,
                        Verdict.STOP,
                        Verdict.STOP);
        assertThat(admission.measureStartNanos()).isEqualTo(2 * MS);
    }

    @Test
    @DisplayName("By time: warm-up until 100 ms after the origin, then 200 ms measured from the first measured request")
    void byTime() {
        Admission admission = new Admission(
                RunLength.duration(Duration.ofMillis(200)).withWarmup(Duration.ofMillis(100), 0), 1000 * MS);
        assertThat(admission.inWarmup()).isTrue();
        assertThat(admit(admission, 1000, 1099, 1150, 1349, 1350, 1351))
                .containsExactly(
                        Verdict.WARMUP, Verdict.WARMUP, Verdict.MEASURED, Verdict.MEASURED, Verdict.STOP, Verdict.STOP);
        assertThat(admission.measureStartNanos()).isEqualTo(1150 * MS);
        assertThat(admission.inWarmup()).isFalse();
    }

    @Test
    @DisplayName("With a duration and a count, whichever comes first ends the run")
    void whicheverFirst() {
        Admission admission = new Admission(new RunLength(Duration.ZERO, 0, Duration.ofMillis(50), 2), 0);
        assertThat(admit(admission, 0, 10, 20)).containsExactly(Verdict.MEASURED, Verdict.MEASURED, Verdict.STOP);
    }
}
