package dev.trimtab.decoding.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds an ONNX graph node by node. Every op gets a fresh output name unless one is given, and
 * weights are stored little-endian in {@code raw_data} without an extra copy.
 */
public final class OnnxGraphBuilder {
    private final GraphProto.Builder graph;
    private final String prefix;
    private int counter;

    public OnnxGraphBuilder(String name) {
        this.graph = GraphProto.newBuilder().setName(name);
        this.prefix = name + "/";
    }

    /** Adds a node with one output and returns the output's name. */
    public String op(String opType, List<String> inputs, AttributeProto... attributes) {
        return op(opType, inputs, 1, attributes).get(0);
    }

    /** Adds a node with {@code outputs} fresh outputs. */
    public List<String> op(String opType, List<String> inputs, int outputs, AttributeProto... attributes) {
        List<String> names = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            names.add(fresh(opType));
        }
        opNamed(opType, inputs, names, attributes);
        return names;
    }

    /** Adds a node whose outputs have the given names (graph outputs, for example). */
    public void opNamed(String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        opInDomain("", opType, inputs, outputs, attributes);
    }

    /** Adds a node of an operator set other than ONNX's own ({@code com.microsoft}, say). */
    public void opInDomain(
            String domain, String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder()
                .setOpType(opType)
                .setDomain(domain)
                .setName(fresh(opType + "_node"))
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(Arrays.asList(attributes)));
    }

    /** Adds a node of {@code domain} with one fresh output and returns its name. */
    public String opInDomain(String domain, String opType, List<String> inputs, AttributeProto... attributes) {
        String output = fresh(opType);
        opInDomain(domain, opType, inputs, List.of(output), attributes);
        return output;
    }

    /** Stores a float weight under {@code name} and returns the name. */
    public String weight(String name, FloatTensor tensor) {
        return weight(name, tensor, DataType.FLOAT);
    }

    /** Stores a weight as {@code type} ({@code FLOAT} or {@code FLOAT16}) under {@code name}. */
    public String weight(String name, FloatTensor tensor, DataType type) {
        long[] dims = Arrays.stream(tensor.shape()).asLongStream().toArray();
        return raw(name, type, dims, encode(tensor.data(), type));
    }

    /** Stores raw little-endian bytes of element type {@code type} and shape {@code dims}. */
    public String raw(String name, DataType type, long[] dims, byte[] bytes) {
        TensorProto.Builder proto = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes));
        for (long dim : dims) {
            proto.addDims(dim);
        }
        graph.addInitializer(proto);
        return name;
    }

    /** {@code values} as little-endian {@code FLOAT} or {@code FLOAT16} (rounded to nearest even). */
    static byte[] encode(float[] values, DataType type) {
        return switch (type) {
            case FLOAT -> {
                ByteBuffer bytes =
                        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                yield bytes.array();
            }
            case FLOAT16 -> {
                ByteBuffer bytes =
                        ByteBuffer.allocate(values.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float value : values) {
                    bytes.putShort(Float.floatToFloat16(value));
                }
                yield bytes.array();
            }
            default -> throw new IllegalArgumentException("weights are FLOAT or FLOAT16, got " + type);
        };
    }

    /** A 1-D int64 constant. */
    public String longs(long... values) {
        return longTensor(values, new long[] {values.length});
    }

    /** A 0-D int64 constant. */
    public String scalarLong(long value) {
        return longTensor(new long[] {value}, new long[0]);
    }

    /** A 0-D float constant. */
    public String scalar(float value) {
        return scalar(value, DataType.FLOAT);
    }

    /** A 0-D constant of {@code type} ({@code FLOAT} or {@code FLOAT16}). */
    public String scalar(float value, DataType type) {
        return raw(fresh("const"), type, new long[0], encode(new float[] {value}, type));
    }

    private String longTensor(long[] values, long[] dims) {
        String name = fresh("const");
        TensorProto.Builder proto = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64.getNumber());
        for (long dim : dims) {
            proto.addDims(dim);
        }
        for (long value : values) {
            proto.addInt64Data(value);
        }
        graph.addInitializer(proto);
        return name;
    }

    /** Declares a graph input; each dim is an Integer (fixed) or a String (symbolic). */
    public void input(String name, DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    /** Declares a graph output; each dim is an Integer (fixed) or a String (symbolic). */
    public void output(String name, DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    public GraphProto build() {
        return graph.build();
    }

    /** A value info with an element type and, when dims are given, a shape. */
    public static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (dims.length > 0) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (Object dim : dims) {
                shape.addDim(dimension(dim));
            }
            tensor.setShape(shape);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    private static TensorShapeProto.Dimension dimension(Object dim) {
        return switch (dim) {
            case Integer fixed ->
                TensorShapeProto.Dimension.newBuilder().setDimValue(fixed).build();
            case String symbol ->
                TensorShapeProto.Dimension.newBuilder().setDimParam(symbol).build();
            default -> throw new IllegalArgumentException("a dimension is an Integer or a String, got " + dim);
        };
    }

    /** A name no other value of this graph has, for a node output named before the node is added. */
    public String fresh(String stem) {
        return prefix + stem + "_" + counter++;
    }

    public static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeType.INT)
                .setI(value)
                .build();
    }

    public static AttributeProto attribute(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    public static AttributeProto attribute(String name, long... values) {
        AttributeProto.Builder builder =
                AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long value : values) {
            builder.addInts(value);
        }
        return builder.build();
    }

    public static AttributeProto attribute(String name, GraphProto value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeType.GRAPH)
                .setG(value)
                .build();
    }
}
