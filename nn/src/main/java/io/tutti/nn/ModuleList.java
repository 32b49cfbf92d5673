package io.tutti.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * {@code torch.nn.ModuleList}: modules held in a list and registered as {@code "0"}, {@code "1"},
 * ..., so that their parameters are found and named as in PyTorch. It has no forward of its own.
 */
public class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> modules = new ArrayList<>();

    public ModuleList() {
    }

    public ModuleList(List<? extends M> modules) {
        modules.forEach(this::add);
    }

    public ModuleList<M> add(M module) {
        if (module == null) {
            throw new IllegalArgumentException("ModuleList: module " + modules.size() + " is null");
        }
        registerModule(String.valueOf(modules.size()), module);
        modules.add(module);
        return this;
    }

    public M get(int index) {
        return modules.get(index);
    }

    public int size() {
        return modules.size();
    }

    public List<M> asList() {
        return Collections.unmodifiableList(modules);
    }

    @Override
    public Iterator<M> iterator() {
        return asList().iterator();
    }
}
