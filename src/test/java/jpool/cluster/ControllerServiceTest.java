package jpool.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import jpool.NoWorkersLeft;
import jpool.wire.Invocable;
import jpool.wire.Protocol;
import jpool.wire.ServiceClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Services of the controller, called by task code on real worker JVMs through svc messages. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class ControllerServiceTest {

    /** Calls a service with {"n": argument} and returns the reply's body as text. */
    record Call(String service) implements Invocable {
        @Override
        public Object invoke(Object argument) throws Exception {
            JsonObject body = new JsonObject();
            body.addProperty("n", (Integer) argument);
            Protocol.ServiceCall reply = ServiceClient.current().call(service, body, List.of(new byte[] {7}),
                    Duration.ofSeconds(30));
            return reply.body() + " frames=" + reply.frames().size();
        }
    }

    @Test
    void tasksCallARegisteredServiceAndGetItsAnswer() throws Exception {
        Controller c = ControllerPlacementTest.start(2, 0);
        try {
            List<String> callers = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            c.registerService("double", (workerId, request, replies) -> {
                callers.add(workerId);
                JsonObject body = new JsonObject();
                body.addProperty("twice", request.body().get("n").getAsInt() * 2);
                replies.send(new Protocol.ServiceCall("double", request.callId(), body, request.frames()));
            });
            c.registerService("broken", (workerId, request, replies) -> {
                throw new IllegalArgumentException("no");
            });
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> c.registerService("double", (w, r, replies) -> { }));
            assertEquals("a service named double is registered already", twice.getMessage());

            ControllerPlacementTest.Recorder r = new ControllerPlacementTest.Recorder(4);
            c.submit(c.newJobId(), ControllerPlacementTest.job(new Call("double"), 4, r, Placement.any()));
            List<String> outcomes = r.await();
            for (int i = 0; i < 4; i++) {
                String line = outcomes.get(i);
                assertEquals("{\"twice\":" + (2 * i) + "} frames=1", line.substring(line.indexOf('{')), line);
            }
            assertEquals(4, callers.size(), "one call per task: " + callers);

            ControllerPlacementTest.Recorder missing = new ControllerPlacementTest.Recorder(1);
            c.submit(c.newJobId(), ControllerPlacementTest.job(new Call("nothing"), 1, missing, Placement.any()));
            String none = missing.await().get(0);
            assertEquals("{\"error\":\"no service named nothing in this pool\"} frames=0",
                    none.substring(none.indexOf('{')), none);

            ControllerPlacementTest.Recorder failing = new ControllerPlacementTest.Recorder(1);
            c.submit(c.newJobId(), ControllerPlacementTest.job(new Call("broken"), 1, failing, Placement.any()));
            String failed = failing.await().get(0);
            assertEquals("{\"error\":\"service broken failed: java.lang.IllegalArgumentException: no\"} frames=0",
                    failed.substring(failed.indexOf('{')), failed);
        } finally {
            ControllerPlacementTest.stop(c);
        }
    }
}
