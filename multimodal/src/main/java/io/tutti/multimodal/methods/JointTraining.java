package io.tutti.multimodal.methods;

import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.nn.Module;
import io.tutti.optim.StateDict;

import java.util.Map;

/** Work in progress (the API commit): implemented in the following commits. */
public class JointTraining implements Method {
    @Override
    public String name() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void init(MethodContext context) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Prediction predict(MultimodalBatch batch) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Module model() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Map<String, Encoder> encoders() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public StateDict trainingState() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void loadTrainingState(StateDict state) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
