package io.ebsockets.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of {@link Layering}, over every main class of the project (this module sees
 * them all), and each once over a deliberate violation in {@code
 * io.ebsockets.architecture.violations}, to show the rule can fail.
 */
class ArchitectureTest {
  private static JavaClasses project;
  private static JavaClasses violations;

  @BeforeAll
  static void importClasses() {
    project =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ebsockets");
    violations = new ClassFileImporter().importPackages("io.ebsockets.architecture.violations");
    assertThat(project.contain("io.ebsockets.EbsocketSystem")).isTrue();
    assertThat(project.contain("io.ebsockets.examples.RelayServer")).isTrue();
  }

  @Test
  void coreImportsNoNetty() {
    Layering.coreImportsNoNetty("io.ebsockets").check(project);
    Layering.coreImportsNoNetty("io.ebsockets.spi..").check(project);
  }

  @Test
  void coreImportsNoNettyFailsOnACoreClassThatDoes() {
    assertFails(Layering.coreImportsNoNetty("..violations.core").evaluate(violations));
  }

  @Test
  void examplesUseOnlyThePublicApi() {
    Layering.examplesUseOnlyThePublicApi("io.ebsockets.examples..").check(project);
  }

  @Test
  void examplesUseOnlyThePublicApiFailsOnAnExampleThatUsesTheSpi() {
    assertFails(
        Layering.examplesUseOnlyThePublicApi("..violations.examples..").evaluate(violations));
  }

  @Test
  void nothingOutsideTheTransportUsesIt() {
    Layering.nothingOutsideTheTransportUsesIt("io.ebsockets.netty..", "io.ebsockets..")
        .check(project);
  }

  @Test
  void nothingOutsideTheTransportUsesItFailsOnAClassThatNamesATransportClass() {
    assertFails(
        Layering.nothingOutsideTheTransportUsesIt("io.ebsockets.netty..", "..violations..")
            .evaluate(violations));
  }

  @Test
  void noPackageCyclesButCoreAndItsSpi() {
    Layering.noCyclesButCoreAndItsSpi("io.ebsockets").check(project);
  }

  @Test
  void noPackageCyclesFailsOnTwoPackagesThatUseEachOther() {
    assertFails(
        Layering.noCyclesButCoreAndItsSpi("io.ebsockets.architecture.violations")
            .evaluate(violations));
  }

  private static void assertFails(EvaluationResult result) {
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isTrue();
  }
}
