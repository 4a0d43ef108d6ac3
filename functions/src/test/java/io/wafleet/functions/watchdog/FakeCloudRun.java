package io.wafleet.functions.watchdog;

import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local gRPC stand-in for the Cloud Run Admin API v2 Services service: GetService and
 * UpdateService (answered with a completed operation) on one known service; records every request.
 */
final class FakeCloudRun implements AutoCloseable {

  static final String SERVICE = "projects/demo/locations/europe-west1/services/wafleet-connector";

  private final Server server;
  private final List<Object> requests = new ArrayList<>();
  private Service service = Service.newBuilder().setName(SERVICE).setLatestCreatedRevision(SERVICE + "/revisions/r1")
      .setTemplate(RevisionTemplate.newBuilder().putAnnotations("owner", "ops")).build();
  private int revision = 1;

  FakeCloudRun() throws IOException {
    MethodDescriptor<GetServiceRequest, Service> get = MethodDescriptor.<GetServiceRequest, Service>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("google.cloud.run.v2.Services/GetService")
        .setRequestMarshaller(ProtoUtils.marshaller(GetServiceRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(Service.getDefaultInstance())).build();
    MethodDescriptor<UpdateServiceRequest, Operation> update = MethodDescriptor.<UpdateServiceRequest, Operation>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("google.cloud.run.v2.Services/UpdateService")
        .setRequestMarshaller(ProtoUtils.marshaller(UpdateServiceRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(Operation.getDefaultInstance())).build();
    ServerServiceDefinition definition = ServerServiceDefinition.builder("google.cloud.run.v2.Services")
        .addMethod(get, ServerCalls.asyncUnaryCall((request, response) -> {
          synchronized (this) {
            requests.add(request);
            if (!request.getName().equals(SERVICE)) {
              response.onError(Status.NOT_FOUND.withDescription(request.getName()).asRuntimeException());
              return;
            }
            response.onNext(service);
          }
          response.onCompleted();
        }))
        .addMethod(update, ServerCalls.asyncUnaryCall((request, response) -> {
          Operation op;
          synchronized (this) {
            requests.add(request);
            revision++;
            service = request.getService().toBuilder().setLatestCreatedRevision(SERVICE + "/revisions/r" + revision).build();
            op = Operation.newBuilder().setName("operations/update-" + revision).setDone(true)
                .setResponse(Any.pack(service)).setMetadata(Any.pack(service)).build();
          }
          response.onNext(op);
          response.onCompleted();
        }))
        .build();
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(definition).build().start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  synchronized List<Object> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
