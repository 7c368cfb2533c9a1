package dev.trimtab.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    @DisplayName("the rate rises linearly during warmup, peaks, then decays along a cosine to the floor")
    void warmupThenCosine() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 10, 110, 0.1);
        assertThat(schedule.at(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(schedule.at(9)).isCloseTo(1e-3, within(1e-12));
        assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-12));
        assertThat(schedule.at(60)).isCloseTo(1e-3 * (0.1 + 0.9 * 0.5), within(1e-12));
        assertThat(schedule.at(110)).isCloseTo(1e-4, within(1e-12));
        for (int t = 11; t < 110; t++) {
            assertThat(schedule.at(t)).isLessThanOrEqualTo(schedule.at(t - 1));
        }
    }

    @Test
    @DisplayName("bad settings name the recipe key and the allowed range")
    void validates() {
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 10, 0.1))
                .hasMessageContaining("learning_rate must be > 0");
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 10, 10, 0.1))
                .hasMessageContaining("warmup_steps must be in [0, steps)");
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 0, 10, 2)).hasMessageContaining("min_lr_ratio");
    }
}
