"""LLM frameworks: LangChain chat models, chains (also built with `|`), LlamaIndex, DSPy."""
import dspy
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from llama_index.llms.openai import OpenAI as LlamaOpenAI


def langchain_chat(task):
    llm = ChatOpenAI(model="gpt-4o")
    answer = llm.invoke(f"Write Python for: {task}")
    exec(answer.content)  # expect: RCE001


def langchain_pipe(task):
    prompt = ChatPromptTemplate.from_template("Write code for {task}")
    chain = prompt | ChatOpenAI() | StrOutputParser()
    code = chain.invoke({"task": task})
    exec(code)  # expect: RCE001


def llama(task, docs):
    llm = LlamaOpenAI(model="gpt-4o")
    exec(llm.complete(task).text)  # expect: RCE001
    engine = VectorStoreIndex.from_documents(docs).as_query_engine()
    eval(str(engine.query(task)))  # expect: RCE001


def dspy_program(question):
    solve = dspy.ProgramOfThought("question -> answer")
    exec(solve(question=question).answer)  # expect: RCE001
