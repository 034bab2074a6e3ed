package io.jpeer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConfigTest {
  static final String CONF = """
      # a comment
      [global]
      fsid = 6214e3ef-4146-472b-8149-59085d3053ad
      mon host = 127.0.0.1:40000
      osd heartbeat grace = 20     ; trailing comment
      osd_data = /data/$name

      [osd]
      osd-heartbeat-grace = 10
      osd objectstore = memory
      ms max frame size = 1M

      [osd.3]
      osd_heartbeat_grace = 500ms
      osd data = /fast/$id

      [mon]
      mon data = /mon/$type-$id
      """;

  @Test
  void precedenceIsOverrideThenIdThenTypeThenGlobalThenDefault() throws Exception {
    Config osd3 = Config.parse(CONF, "t.conf", "osd", "3", Map.of());
    Config osd1 = Config.parse(CONF, "t.conf", "osd", "1", Map.of());
    Config mon = Config.parse(CONF, "t.conf", "mon", "0", Map.of());
    assertThat(osd3.osdHeartbeatGrace()).isEqualTo(Duration.ofMillis(500));
    assertThat(osd1.osdHeartbeatGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(mon.osdHeartbeatGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(mon.osdHeartbeatInterval()).isEqualTo(Duration.ofSeconds(6));
    assertThat(osd3.osdData()).isEqualTo(Path.of("/fast/3"));
    assertThat(osd1.osdData()).isEqualTo(Path.of("/data/osd.1"));
    assertThat(mon.monData()).isEqualTo(Path.of("/mon/mon-0"));
    assertThat(osd1.msMaxFrameSize()).isEqualTo(1 << 20);
    assertThat(mon.msMaxFrameSize()).isEqualTo(16 << 20);
    assertThat(osd1.osdObjectstore()).isEqualTo("memory");
    assertThat(mon.monHost().getHostString()).isEqualTo("127.0.0.1");
    assertThat(mon.monHost().getPort()).isEqualTo(40000);

    Config over = Config.parse(CONF, "t.conf", "osd", "3", Map.of("osd_heartbeat_grace", "2"));
    assertThat(over.osdHeartbeatGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(over.source(Options.OSD_HEARTBEAT_GRACE)).isEqualTo("override");
    assertThat(osd3.source(Options.OSD_HEARTBEAT_GRACE)).isEqualTo("file t.conf:14 [osd.3]");
    assertThat(osd3.source(Options.OSD_HEARTBEAT_INTERVAL)).isEqualTo("default");
  }

  @Test
  void defaultsMatchCeph() throws Exception {
    Config c = Config.defaults("osd", "0", Map.of());
    assertThat(c.msBindPortMin()).isEqualTo(6800);
    assertThat(c.msBindPortMax()).isEqualTo(7300);
    assertThat(c.osdPoolDefaultSize()).isEqualTo(3);
    assertThat(c.osdPoolDefaultMinSize()).isEqualTo(2);
    assertThat(c.osdPoolDefaultPgNum()).isEqualTo(32);
    assertThat(c.monOsdMinDownReporters()).isEqualTo(2);
    assertThat(c.monOsdDownOutInterval()).isEqualTo(Duration.ofSeconds(600));
    assertThat(c.monOsdReportTimeout()).isEqualTo(Duration.ofSeconds(900));
    assertThat(c.osdBeaconReportInterval()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.osdRecoveryMaxActive()).isEqualTo(10); // osd_recovery_max_active_ssd
    assertThat(c.osdMinPgLogEntries()).isEqualTo(250);
    assertThat(c.osdMaxPgLogEntries()).isEqualTo(10000);
    assertThat(c.osdData()).isEqualTo(Path.of("dev/osd.0"));
    assertThat(Config.defaults("osd", "0", Map.of("osd_pool_default_size", "4")).osdPoolDefaultMinSize()).isEqualTo(2);
    assertThat(Config.defaults("osd", "0", Map.of("osd_pool_default_size", "1")).osdPoolDefaultMinSize()).isEqualTo(1);
  }

  @Test
  void valueSyntaxes() {
    assertThat(ConfigValues.duration("20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(ConfigValues.duration("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(ConfigValues.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigValues.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigValues.size("16M")).isEqualTo(16L << 20);
    assertThat(ConfigValues.size("64KiB")).isEqualTo(64L << 10);
    assertThat(ConfigValues.size("4096")).isEqualTo(4096);
    assertThat(ConfigValues.formatSize(16L << 20)).isEqualTo("16M");
    assertThat(ConfigValues.format(Duration.ofMillis(500))).isEqualTo("500ms");
  }

  @Test
  void everyErrorIsOneLineNamingFileOrKey() {
    assertError("[global]\nosd heartbeat grce = 3\n", "t.conf:2: unknown key 'osd_heartbeat_grce' in [global]");
    assertError("[global]\nosd heartbeat grace = soon\n", "t.conf:2: osd_heartbeat_grace: 'soon' is not a duration");
    assertError("[osd.7]\nosd pool default size = 11\n", "t.conf:2: osd_pool_default_size: '11' not in 1..10");
    assertError("[globl]\n", "t.conf:1: unknown section [globl]");
    assertError("fsid = x\n", "t.conf:1: 'fsid = x' is outside any [section]");
    assertError("[global]\njust words\n", "t.conf:2: expected 'key = value'");
    assertError("[global]\nfsid = not-a-uuid\n", "t.conf:2: fsid: 'not-a-uuid' is not a UUID");
    assertError("[global]\nmon host = localhost\n", "t.conf:2: mon_host: 'localhost' is not HOST:PORT");
    assertError("[global]\nms bind port min = 7000\nms bind port max = 6900\n", "t.conf: ms_bind_port_min 7000 > ms_bind_port_max 6900");
    assertError("[global]\nosd objectstore = bluestore\n", "osd_objectstore: 'bluestore' is not one of [memory, rocksdb]");
    assertThatThrownBy(() -> Config.defaults("osd", "0", Map.of("osd_heartbeat_grace", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--osd_heartbeat_grace: osd_heartbeat_grace: 'x' is not a duration (e.g. 20, 500ms, 2s, 5m)");
    assertThatThrownBy(() -> Config.defaults("osd", "0", Map.of("nope", "1")))
        .hasMessage("--nope: unknown config key");
  }

  private static void assertError(String text, String expected) {
    assertThatThrownBy(() -> Config.parse(text, "t.conf", "osd", "0", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void unreadableFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("none.conf");
    assertThatThrownBy(() -> Config.load(missing, "mon", "0", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": cannot read config file (no such file)");
  }

  @Test
  void daemonArgsTakeBothOverrideSpellings(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.conf");
    Files.writeString(f, CONF);
    DaemonArgs a = DaemonArgs.parse(new String[] {
        "--conf", f.toString(), "--id=3", "--osd_heartbeat_interval=2", "--osd-beacon-report-interval", "1s", "extra"}, "0");
    assertThat(a.id()).isEqualTo("3");
    assertThat(a.positional()).containsExactly("extra");
    Config c = Config.fromArgs("osd", a);
    assertThat(c.osdHeartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.osdBeaconReportInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.osdHeartbeatGrace()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.name()).isEqualTo("osd.3");
    assertThatThrownBy(() -> DaemonArgs.parse(new String[] {"--bogus=1"}, "0"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("--bogus=1: unknown option");
    assertThatThrownBy(() -> DaemonArgs.parse(new String[] {"--osd-heartbeat-interval"}, "0"))
        .hasMessage("--osd-heartbeat-interval: missing value");
  }

  @Test
  void showListsEveryKeyWithItsSource() throws Exception {
    Config c = Config.parse(CONF, "t.conf", "osd", "3", Map.of("debug_osd", "10/10"));
    assertThat(c.show()).hasSize(Options.all().size());
    assertThat(c.show()).anySatisfy(l -> assertThat(l).matches("osd_heartbeat_grace +\\= 500ms  \\(file t.conf:14 \\[osd.3\\]\\)"));
    assertThat(c.show()).anySatisfy(l -> assertThat(l).matches("debug_osd +\\= 10  \\(override\\)"));
    assertThat(c.showMap().get("ms_max_frame_size")).containsEntry("value", "1M");
  }

  @Test
  void shippedClusterConfParses() throws Exception {
    Path conf = Path.of("..", "conf", "cluster.conf");
    Config c = Config.load(conf, "osd", "0", Map.of());
    Config d = Config.defaults("osd", "0", Map.of());
    // The shipped file documents the defaults: every value it sets equals the default.
    for (String k : Options.names()) {
      if (!k.equals("fsid")) {
        assertThat(c.values().get(k).text()).as(k).isEqualTo(d.values().get(k).text());
      }
    }
  }
}
