package dev.trimtab.decoding.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LaneOrderTest {

    /** The batch rows the order keeps, slot by slot. */
    private static int[] rowsOf(List<Integer> sources) {
        int[] order = Lane.fillHoles(sources);
        int[] rows = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            rows[i] = sources.get(order[i]);
        }
        return rows;
    }

    @Test
    @DisplayName("rows that stay keep their places and the last rows fill the places of those that left")
    void lastRowsFillHoles() {
        assertThat(rowsOf(List.of(0, 2, 3))).containsExactly(0, 3, 2);
        assertThat(rowsOf(List.of(1, 2))).containsExactly(2, 1);
        assertThat(rowsOf(List.of(0, 1, 4, 6, 7))).containsExactly(0, 1, 7, 6, 4);
        assertThat(rowsOf(List.of(0, 1, 2))).containsExactly(0, 1, 2);
    }

    @Test
    @DisplayName("a row kept twice (a fork) leaves the natural order")
    void forksKeepTheNaturalOrder() {
        assertThat(rowsOf(List.of(0, 0, 0, 2))).containsExactly(0, 0, 0, 2);
    }
}
