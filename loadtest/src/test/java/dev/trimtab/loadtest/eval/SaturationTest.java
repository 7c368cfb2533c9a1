package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SaturationTest {

    private static PointResult point(String line, double strength, double positivity, double se, double degenerate) {
        return new PointResult(
                line + " " + strength,
                line,
                "dera",
                Map.of("lambda", strength),
                false,
                JsonNodeFactory.instance.objectNode(),
                40,
                new Estimate(positivity, se),
                new Estimate(0.5, 0.01),
                KlMethod.TOKENS,
                new Estimate(1, 0.1),
                Double.NaN,
                new Estimate(0, 0.1),
                0.3,
                20,
                degenerate,
                Map.of(),
                Map.of(),
                2,
                1,
                1);
    }

    @Test
    @DisplayName("a line saturates at the first strength no later one beats by two combined standard errors")
    void saturation() {
        // 0.45 -> 0.67 is a gain; 0.67 -> 0.70 is within 2 * hypot(0.017, 0.012) = 0.042; 0.69 too
        List<PointResult> points = List.of(
                point("none", 0, 0, 0.04, 0),
                point("dera", 2, 0.69, 0.014, 0.06),
                point("dera", 0.5, 0.45, 0.03, 0),
                point("dera", 1.5, 0.70, 0.012, 0.01),
                point("dera", 1, 0.67, 0.017, 0),
                point("rising", 1, 0.1, 0.01, 0),
                point("rising", 2, 0.3, 0.01, 0));
        assertThat(Saturation.of(points))
                .containsExactly(
                        new Saturation("dera", "lambda", Optional.of(1.0), Optional.of(2.0)),
                        new Saturation("rising", "lambda", Optional.empty(), Optional.empty()));
    }
}
