package dev.breaker.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys {@link BreakerProperties} binds, read from its structure, and the one closest to a key it does not: for
 * "did you mean breaker.defaults.failure-rate-threshold?" on a misspelt key.
 */
/*
 * Implementation notes: a key is walked element by element from BreakerProperties: a map consumes one element (the
 * entry's name) and continues with its value type; a bean consumes a property name. At the first element no property
 * matches, the rest of the key is compared with every key relative to that bean (nested beans included, so that
 * sliding-windw.size finds sliding-window.size) by Levenshtein distance on the forms Spring Boot compares (lower case,
 * dashes dropped), and the closest within a third of its length, at least 2, wins.
 */
public final class BreakerPropertyKeys {

    private static final String ROOT = "breaker";

    private BreakerPropertyKeys() {
    }

    /**
     * The valid key closest to {@code unknown}, a key under {@code breaker.} that {@link BreakerProperties} does not
     * bind, in the form it is written in (kebab case, map entries as given); null if none is close.
     */
    public static @Nullable String closestTo(ConfigurationPropertyName unknown) {
        if (unknown.getNumberOfElements() < 2
                || !ROOT.equals(unknown.getElement(0, ConfigurationPropertyName.Form.UNIFORM))) {
            return null;
        }
        String walked = ROOT;
        ResolvableType type = ResolvableType.forClass(BreakerProperties.class);
        int element = 1;
        while (element < unknown.getNumberOfElements()) {
            if (isMap(type)) {
                String entry = unknown.getElement(element, ConfigurationPropertyName.Form.ORIGINAL);
                walked = BreakerConfigFactory.entry(walked, entry);
                type = type.asMap().getGeneric(1);
                element++;
                continue;
            }
            if (!isBean(type)) {
                return null;
            }
            String given = comparable(unknown.getElement(element, ConfigurationPropertyName.Form.ORIGINAL));
            Map.Entry<String, ResolvableType> property = properties(type.toClass()).entrySet().stream()
                    .filter(candidate -> comparable(candidate.getKey()).equals(given)).findFirst().orElse(null);
            if (property == null) {
                String closest = closest(rest(unknown, element), keysUnder(type.toClass()));
                return closest == null ? null : walked + "." + closest;
            }
            walked = walked + "." + property.getKey();
            type = property.getValue();
            element++;
        }
        return null;
    }

    /**
     * Why {@code unknown}, a key under {@code breaker.} that {@link BreakerProperties} does not bind, is refused:
     * "is no breaker option", and the closest valid key if one is close ("; did you mean ...?").
     */
    public static String noSuchOption(ConfigurationPropertyName unknown) {
        String closest = closestTo(unknown);
        return "is no breaker option" + (closest == null ? "" : "; did you mean " + closest + "?");
    }

    /** Every key relative to a bean of {@code type}: its properties, and the keys of its nested beans. */
    static List<String> keysUnder(Class<?> type) {
        List<String> keys = new ArrayList<>();
        properties(type).forEach((name, propertyType) -> {
            if (isBean(propertyType)) {
                keysUnder(propertyType.toClass()).forEach(key -> keys.add(name + "." + key));
            } else {
                keys.add(name);
            }
        });
        return keys;
    }

    private static @Nullable String closest(String wanted, List<String> candidates) {
        String target = comparable(wanted);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(target, comparable(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, comparable(best).length() / 3) ? best : null;
    }

    private static String rest(ConfigurationPropertyName name, int from) {
        StringBuilder rest = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            rest.append(i == from ? "" : ".").append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        return rest.toString();
    }

    /** As Spring Boot compares names: lower case, without dashes. */
    private static String comparable(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The bindable properties of a bean: readable, and writable or a nested bean. */
    private static Map<String, ResolvableType> properties(Class<?> type) {
        Map<String, ResolvableType> properties = new LinkedHashMap<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || descriptor.getReadMethod().getDeclaringClass() == Object.class) {
                continue;
            }
            ResolvableType propertyType = ResolvableType.forMethodReturnType(descriptor.getReadMethod(), type);
            if (descriptor.getWriteMethod() != null || isBean(propertyType) || isMap(propertyType)) {
                properties.put(DataObjectPropertyName.toDashedForm(descriptor.getName()), propertyType);
            }
        }
        return properties;
    }

    /** A nested bean of the breaker properties, such as the sliding window of an options. */
    private static boolean isBean(ResolvableType type) {
        Class<?> resolved = type.resolve();
        return resolved == BreakerProperties.class || resolved != null && !resolved.isEnum()
                && resolved.getEnclosingClass() == BreakerProperties.class;
    }

    /** A map of nested beans, such as breaker.instances; a map of strings (tags) binds any key. */
    private static boolean isMap(ResolvableType type) {
        return Map.class.isAssignableFrom(type.toClass()) && isBean(type.asMap().getGeneric(1));
    }
}
