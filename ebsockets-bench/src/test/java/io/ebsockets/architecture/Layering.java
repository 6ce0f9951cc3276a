package io.ebsockets.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The project's layering as ArchUnit rules, each a function of the packages it governs, so that
 * {@link ArchitectureTest} can apply it both to the real classes and to a deliberate violation
 * (a rule that cannot fail would prove nothing).
 */
final class Layering {
  private Layering() {}

  /** Core (the event model, the facades, the SPI) knows nothing of Netty. */
  static ArchRule coreImportsNoNetty(String corePackages) {
    return noClasses()
        .that().resideInAPackage(corePackages)
        .should().dependOnClassesThat().resideInAPackage("io.netty..")
        .because("ebsockets-core must run on any transport; Netty belongs to ebsockets-netty");
  }

  /**
   * The examples are what users copy: they use the public API of {@code io.ebsockets} only, never
   * the SPI, a transport's package or a class that is not public.
   */
  static ArchRule examplesUseOnlyThePublicApi(String examplePackages) {
    return noClasses()
        .that().resideInAPackage(examplePackages)
        .should().dependOnClassesThat(internalsOfEbsockets())
        .because("the examples show the public API, and nothing else");
  }

  private static DescribedPredicate<JavaClass> internalsOfEbsockets() {
    return DescribedPredicate.describe(
        "are ebsockets internals (the SPI, a transport, or not public in io.ebsockets)",
        c ->
            c.getPackageName().equals("io.ebsockets.spi")
                || c.getPackageName().startsWith("io.ebsockets.netty")
                || (c.getPackageName().equals("io.ebsockets")
                    && !c.getModifiers().contains(JavaModifier.PUBLIC)));
  }

  /**
   * A transport is reached through the SPI and {@code ServiceLoader}, never by name: nothing
   * outside {@code io.ebsockets.netty} uses its classes (all but the provider are package-private
   * anyway; this keeps it so when one is made public).
   */
  static ArchRule nothingOutsideTheTransportUsesIt(String transportPackage, String others) {
    return noClasses()
        .that().resideInAPackage(others)
        .and().resideOutsideOfPackage(transportPackage)
        .should().dependOnClassesThat().resideInAPackage(transportPackage)
        .because("a transport is found by ServiceLoader, not linked against");
  }

  /**
   * No package cycles, but the one named: {@code io.ebsockets} and {@code io.ebsockets.spi} refer
   * to each other (the SPI's methods take the facades' values; the facades call the SPI), so they
   * count as one slice, "core".
   */
  static ArchRule noCyclesButCoreAndItsSpi(String root) {
    return slices()
        .assignedFrom(coreAndSpiAsOne(root))
        .should().beFreeOfCycles()
        .because(root + " and " + root + ".spi are the one allowed cycle");
  }

  private static SliceAssignment coreAndSpiAsOne(String root) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        if (p.equals(root) || p.equals(root + ".spi")) {
          return SliceIdentifier.of("core");
        }
        if (p.startsWith(root + ".")) {
          return SliceIdentifier.of(p);
        }
        return SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "packages under " + root + ", with " + root + " and " + root + ".spi as one";
      }
    };
  }
}
