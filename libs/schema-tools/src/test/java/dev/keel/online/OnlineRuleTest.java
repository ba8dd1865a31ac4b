package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class OnlineRuleTest {

    /** The ids are a contract (suppressions name them); the code's names say the same thing, so neither drifts alone. */
    @Test
    void eachRuleIsNamedAfterItsId() {
        for (OnlineRule rule : OnlineRule.values()) {
            assertThat(rule.name().toLowerCase(Locale.ROOT).replace('_', '-')).as("the constant for rule id %s", rule.id).isEqualTo(rule.id);
            assertThat(OnlineRule.byId(rule.id)).isSameAs(rule);
        }
    }
}
