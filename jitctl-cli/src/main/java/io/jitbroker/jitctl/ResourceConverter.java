package io.jitbroker.jitctl;

import io.jitbroker.client.Resource;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --resource type:id:action[,action]}, e.g. {@code http:inventory-api:read}. */
final class ResourceConverter implements ITypeConverter<Resource> {

    @Override
    public Resource convert(String value) {
        try {
            return Resource.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
