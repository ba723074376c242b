package dev.breaker.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadsTest {

    @Test
    void message_keepsBarsInTheBreakerName_whichComesLast() {
        Payloads.Message message = Payloads.message("1|open|1733270000123456|host-1|10000|FAILURE_RATE_EXCEEDED|a|b");

        assertThat(message).isEqualTo(new Payloads.Message("open", 1733270000123456L, "host-1", 10000,
                "FAILURE_RATE_EXCEEDED", "a|b"));
    }

    @Test
    void aNewerFormat_isRefusedAsNewer_andGarbageAsGarbage() {
        assertThatThrownBy(() -> Payloads.message("2|open|1|host|1|x|name|more"))
                .isInstanceOf(Payloads.BadPayloadException.class)
                .hasMessage("'2|open|1|host|1|x|name|more' is of format version 2, newer than this instance's 1"
                        + " (an instance of a newer release wrote it)");
        assertThatThrownBy(() -> Payloads.message("hello"))
                .isInstanceOf(Payloads.BadPayloadException.class).hasMessage("'hello' is not of format version 1");
        assertThatThrownBy(() -> Payloads.message("1|open|soon|host|1|x|name"))
                .isInstanceOf(Payloads.BadPayloadException.class)
                .hasMessage("'1|open|soon|host|1|x|name' has 'soon' where a number belongs");
        assertThatThrownBy(() -> Payloads.message("1|open|1"))
                .isInstanceOf(Payloads.BadPayloadException.class)
                .hasMessage("'1|open|1' has 3 fields where version 1 has 7");
    }

    @Test
    void reportsAndAnnouncements_roundTrip() {
        assertThat(Payloads.report(Payloads.report("OPEN", true, 0, 0, 0)))
                .isEqualTo(new Payloads.Report("OPEN", true, 0, 0));
        assertThat(Payloads.report(Payloads.report("CLOSED", false, 100, 3, 0)).signalsTrouble()).isTrue();
        assertThat(Payloads.report(Payloads.report("CLOSED", false, 100, 0, 0)).signalsTrouble()).isFalse();
        assertThat(Payloads.announcement("1|42|host-2|QUORUM"))
                .isEqualTo(new Payloads.Announcement(42, "host-2", "QUORUM"));
        assertThat(Payloads.announcement(Payloads.lease(42, "host-3")))
                .isEqualTo(new Payloads.Announcement(42, "host-3", ""));
    }
}
